"""`rasa run` with one run-time fix: action-server replies validated against a prebuilt schema.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate(reply, schema)`,
which first validates the (large, constant) events schema itself against the JSON Schema
meta-schema, on every call: 25 % of the Rasa server's busy time in a profile, ~85 ms per
custom action on the loaded 2-core machine (docs/benchmarks.md). Here the validator is built
once and every reply is still checked against the same schema, failing with the same error,
so behaviour is unchanged. The trained model is not touched. ops/stack.py starts the Rasa
server through this module: `python -m ops.rasa_server run --model ...`; with
SHOP_RASA_STOCK_VALIDATION=1 it runs Rasa's own validation (to measure the difference).
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any, Dict


@lru_cache(maxsize=1)
def _reply_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # once, as jsonschema.validate did on every call
    return validator_class(schema)


def _validate_action_result(self: Any, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the prebuilt validator (same checks, same error)."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def install() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result


def main() -> None:
    if os.environ.get("SHOP_RASA_STOCK_VALIDATION") != "1":
        install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
