"""The profile's claims: section is parsed, and a bad value names its key."""
from __future__ import annotations

import pytest

from bot.profile.shop_profile import ProfileError, load_profile
from tests.profile.test_shop_profile import write


def test_the_shipped_claims_policy() -> None:
    claims = load_profile().claims
    assert claims.resolutions_for("damaged_item") == ("refund", "replacement")
    assert claims.resolutions_for("wrong_item") == ("refund", "replacement")
    assert claims.resolutions_for("missing_package") == ("reship", "refund")
    assert claims.resolutions_for("lost_after_days_late") == ()  # not a claim kind
    assert (claims.lost_after_days_late, claims.lost_after_days_without_scan) == (3, 7)


def test_an_empty_list_means_only_a_person(tmp_path) -> None:
    path = write(tmp_path, lambda d: d["claims"].__setitem__("wrong_item", []))
    assert load_profile(path).claims.resolutions_for("wrong_item") == ()


def test_resolutions_are_read_in_any_case(tmp_path) -> None:
    path = write(tmp_path, lambda d: d["claims"].__setitem__("missing_package", ["Refund"]))
    assert load_profile(path).claims.missing_package == ("refund",)


@pytest.mark.parametrize("change, key, words", [
    (lambda c: c.__setitem__("damaged_item", ["cash"]), "claims.damaged_item", "unknown resolution 'cash'"),
    (lambda c: c.__setitem__("missing_package", ["replacement"]), "claims.missing_package", "reship or refund"),
    (lambda c: c.__setitem__("wrong_item", ["refund", "refund"]), "claims.wrong_item", "twice"),
    (lambda c: c.__setitem__("wrong_item", "refund"), "claims.wrong_item", "list of texts"),
    (lambda c: c.pop("damaged_item"), "claims.damaged_item", "missing"),
    (lambda c: c.__setitem__("lost_after_days_late", 0), "claims.lost_after_days_late", "1 to 90"),
    (lambda c: c.__setitem__("lost_after_days_without_scan", "a week"),
     "claims.lost_after_days_without_scan", "whole number"),
])
def test_a_bad_claims_value_names_its_key(tmp_path, change, key, words) -> None:
    with pytest.raises(ProfileError, match=rf"profile.yml: {key.replace('.', '[.]')}: .*{words}"):
        load_profile(write(tmp_path, lambda d: change(d["claims"])))


def test_a_missing_section_names_its_first_key(tmp_path) -> None:
    with pytest.raises(ProfileError, match=r"claims[.]damaged_item: missing"):
        load_profile(write(tmp_path, lambda d: d.pop("claims")))
