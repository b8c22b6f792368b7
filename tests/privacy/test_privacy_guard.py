"""The gate used by convert and publish: refuse uncovered direct identifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.errors import HarmonizeError, PrivacyError
from harmonize.privacy.guard import check_columns, find_policy
from harmonize.privacy.policy import PolicyError, load_policy, parse_policy

COLUMNS = {
    "patient": ["Anna Jensen", "Søren Nielsen", "Maria Hansen", "Peter Olsen", "Ida Berg"],
    "cpr": ["211062-5629", "010190-1230", "311265-1113", "150472-4021", "020202-2020"],
    "age": ["34", "56", "71", "44", "29"],
    "case_id": ["C3L-00001", "C3L-00002", "C3L-00003", "C3L-00004", "C3L-00005"],
    "tissue": ["liver", "lung", "liver", "kidney", "lung"],
}


def test_refuses_uncovered_direct_columns_in_one_line() -> None:
    with pytest.raises(PrivacyError) as info:
        check_columns(COLUMNS, source="partner.csv")
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("partner.csv:")
    assert "'patient' (person_name)" in text
    assert "'cpr' (national_id)" in text
    for quasi_or_none in ("'age'", "'case_id'", "'tissue'"):
        assert quasi_or_none not in text
    for value in COLUMNS["patient"] + COLUMNS["cpr"]:
        assert value not in text


def test_policy_rules_not_yet_applied_are_refused() -> None:
    policy = parse_policy("columns:\n  patient: drop\n  cpr: pseudonymize\n")
    with pytest.raises(PrivacyError) as info:
        check_columns(COLUMNS, source="partner.csv", policy=policy)
    text = str(info.value)
    assert "'patient' (person_name, policy: drop)" in text
    assert "'cpr' (national_id, policy: pseudonymize)" in text
    assert "not applied" in text and "harmonize privacy apply" in text


def test_applied_policy_passes() -> None:
    from harmonize.privacy.pseudonymize import pseudonym

    policy = parse_policy("columns:\n  patient: drop\n  cpr: pseudonymize\n")
    key = b"k" * 32
    safe = {k: v for k, v in COLUMNS.items() if k != "patient"}
    safe["cpr"] = [pseudonym(v, key) for v in COLUMNS["cpr"]]
    check_columns(safe, source="safe.csv", policy=policy)


def test_keep_with_reason_lets_raw_values_through() -> None:
    policy = parse_policy(
        "columns:\n  patient: {action: keep, reason: consented}\n"
        "  cpr: {action: keep, reason: internal use}\n"
    )
    check_columns(COLUMNS, source="partner.csv", policy=policy)


def test_partial_policy_names_only_the_uncovered_column() -> None:
    policy = parse_policy("columns:\n  cpr: {action: keep, reason: ok}\n")
    with pytest.raises(PrivacyError) as info:
        check_columns(COLUMNS, source="partner.csv", policy=policy)
    assert "'patient'" in str(info.value) and "'cpr'" not in str(info.value)


def test_category_and_kind_rules_cover_columns() -> None:
    keep_direct = parse_policy("categories:\n  direct: {action: keep, reason: test}\n")
    check_columns(COLUMNS, source="x", policy=keep_direct)
    kinds = parse_policy(
        "kinds:\n  person_name: {action: keep, reason: a}\n  national_id: {action: keep, reason: b}\n"
    )
    check_columns(COLUMNS, source="x", policy=kinds)
    with pytest.raises(PrivacyError, match="policy: drop"):
        check_columns(COLUMNS, source="x", policy=parse_policy("categories:\n  direct: drop\n"))


def test_predicate_iris_match_policy_columns_by_local_name() -> None:
    by_predicate = {"https://w3id.org/harmonize/patient": COLUMNS["patient"]}
    with pytest.raises(PrivacyError, match="no rule"):
        check_columns(by_predicate, source="graph.ttl", policy=parse_policy("columns: {}\n"))
    policy = parse_policy("columns:\n  patient: {action: keep, reason: public figures}\n")
    check_columns(by_predicate, source="graph.ttl", policy=policy)


def test_find_policy_walks_up_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "privacy-policy.yaml").write_text("categories:\n  direct: drop\n")
    sub = tmp_path / "data" / "raw"
    sub.mkdir(parents=True)
    table = sub / "t.csv"
    table.write_text("a\n1\n")
    found = find_policy(table)
    assert found == (tmp_path / "privacy-policy.yaml").resolve()
    assert load_policy(found).categories["direct"].action == "drop"


def test_find_policy_none_when_absent(tmp_path: Path) -> None:
    assert find_policy(tmp_path) is None or not str(find_policy(tmp_path)).startswith(str(tmp_path))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("columns: [a", "cannot parse policy YAML"),
        ("columns:\n  a: keep\n", "needs a reason"),
        ("columns:\n  a: shred\n", "unknown action"),
        ("colums:\n  a: drop\n", "unknown policy section"),
        ("- a\n- b\n", "must be a YAML mapping"),
        ("columns:\n  a: {action: drop, method: year}\n", "only for generalize"),
        ("categories:\n  secret: drop\n", "unknown category"),
    ],
)
def test_bad_policy_is_a_one_line_error(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "privacy-policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    message = str(info.value)
    assert needle in message and "\n" not in message and str(path) in message
    assert isinstance(info.value, HarmonizeError)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "nope.yaml")
