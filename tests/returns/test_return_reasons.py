import pytest

from bot.profile.shop_profile import current_profile
from bot.returns.reasons import reason_from_text

REASONS = current_profile().return_reasons


@pytest.mark.parametrize("text, reason", [
    ("wrong size", "wrong size"),
    ("it's too small for me", "wrong size"),
    ("doesn't fit", "wrong size"),
    ("I changed my mind", "changed my mind"),
    ("the zipper is broken", "damaged"),
    ("looks nothing like the picture", "not as described"),
    ("it arrived way too late", "arrived late"),
])
def test_own_words_map_to_the_shop_reason(text, reason):
    assert reason_from_text(text, REASONS) == reason


@pytest.mark.parametrize("text", ["", "   ", "hmm", "because"])
def test_unclear_text_gives_none(text):
    assert reason_from_text(text, REASONS) is None
