"""The action server can load the actions package, and every custom action in the domain exists."""
from rasa_sdk.executor import ActionExecutor

from tests.support.action_helpers import assistant_domain


def test_every_domain_action_is_implemented_and_nothing_extra():
    executor = ActionExecutor()
    executor.register_package("actions")  # raises if a base class is registered by mistake
    registered = set(executor.actions)
    declared = {a for a in assistant_domain()["actions"] if a.startswith(("action_", "validate_"))}
    assert declared <= registered, declared - registered
    assert registered <= declared, registered - declared
