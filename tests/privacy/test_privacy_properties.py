"""Property tests: masks reveal no character, pseudonyms ignore notation and need the key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harmonize.privacy.mask import mask
from harmonize.privacy.pseudonymize import canonical, pseudonym

KEY = b"property-test-key-0123456789abcd"


@given(st.text(max_size=60))
def test_mask_keeps_no_letter_or_digit(value: str) -> None:
    masked = mask(value)
    assert all(ch in "xX9" for ch in masked if ch.isalnum())
    assert len(masked) <= len(value) + 1


@given(st.from_regex(r"\d{6}-?\d{4}", fullmatch=True))
def test_pseudonym_ignores_separators(number: str) -> None:
    digits = number.replace("-", "")
    assert pseudonym(number, KEY) == pseudonym(digits, KEY) == pseudonym(f" {number} ", KEY)
    assert pseudonym(number, KEY) != pseudonym(number, KEY[::-1])


@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_canonical_is_idempotent(value: str) -> None:
    assert canonical(canonical(value)) == canonical(value)
