from bot.text.choices import ALL, pick

ITEMS = {"11": "Merino Wool Sweater", "12": "Cashmere Scarf"}


def test_typed_words_pick_the_matching_item():
    assert pick("the scarf", ITEMS) == "12"
    assert pick("SWEATER please", ITEMS) == "11"


def test_keys_and_positions_pick_too():
    assert pick("12", ITEMS) == "12"
    assert pick("the second one", ITEMS) == "12"
    assert pick("1", ITEMS) == "11"


def test_all_only_when_allowed():
    assert pick("both", ITEMS, allow_all=True) == ALL
    assert pick("both", ITEMS) is None


def test_nothing_or_ambiguous_gives_none():
    assert pick("the blue hat", ITEMS) is None
    assert pick("", ITEMS) is None
    assert pick("wool cashmere", ITEMS) is None  # one word each: ambiguous
