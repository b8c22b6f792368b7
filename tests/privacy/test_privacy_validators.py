"""Each validator with valid and invalid check digits (python-stdnum underneath)."""

from __future__ import annotations

import pytest

from harmonize.privacy import validators as v


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        # Danish CPR: date part must be a real date; 7th digit selects the century
        (
            v.is_dk_cpr,
            ["211062-5629", "2110625629", "010100-4000"],
            ["321362-5629", "211362-5629", "21106-25629"],
        ),
        # Swedish personnummer: Luhn check digit
        (
            v.is_se_personnummer,
            ["880320-0016", "19880320-0016", "8803200016"],
            ["880320-0018", "880332-0016"],
        ),
        # UK NHS number: modulus 11
        (
            v.is_gb_nhs,
            ["943 476 5919", "9434765919", "401 023 2137"],
            ["943 476 5918", "943 476 591"],
        ),
        # US SSN: area/group/serial rules, blacklisted numbers refused
        (
            v.is_us_ssn,
            ["536-90-4399", "123-45-6788"],
            ["000-12-3456", "666-12-3456", "078-05-1120", "536-00-4399", "536904399"],
        ),
        # German Steuer-IdNr: ISO 7064 check digit
        (v.is_de_idnr, ["36 574 261 809", "36574261809"], ["36 574 261 808", "3657426180"]),
        (v.is_no_fodselsnummer, ["15108695088"], ["15108695077"]),
        (v.is_fi_hetu, ["131052-308T"], ["131052-308U"]),
        (
            v.is_iban,
            ["DE52 0704 9996 2283 0388 36", "DK5000400440116243", "GB82WEST12345698765432"],
            ["DE52 0704 9996 2283 0388 37", "GB82WEST12345698765433"],
        ),
        (
            v.is_email,
            ["anna.jensen@example.dk", "o'brien+x@mail.co.uk"],
            ["anna@localhost", "anna jensen@example.dk", "@example.org"],
        ),
        (v.is_url, ["https://example.org/p?q=1", "www.example.com"], ["example", "htp:/x"]),
        (v.is_ip_address, ["192.168.10.4"], ["256.1.1.1", "1.2.3"]),
    ],
)
def test_valid_and_invalid(check: object, valid: list[str], invalid: list[str]) -> None:
    assert callable(check)
    for value in valid:
        assert check(value), value
    for value in invalid:
        assert not check(value), value


def test_plain_nine_digits_need_a_header_to_be_ssn() -> None:
    assert not v.is_us_ssn("536904399")
    assert v.is_us_ssn("536904399", allow_plain=True)


@pytest.mark.parametrize(
    "phone",
    [
        "+45 74 39 15 00",
        "(555) 123-4567",
        "+1-363-717-0669x0743",
        "0044 20 7946 0958",
        "+49(0)8377835337",
        "077-63 17 06",
    ],
)
def test_phone_numbers(phone: str) -> None:
    assert v.is_phone(phone)


@pytest.mark.parametrize(
    "not_phone", ["74391500", "2021-03-04", "21.10.1962", "3.14159265", "12", "pT1a", "6825.995755"]
)
def test_not_phone_numbers(not_phone: str) -> None:
    assert not v.is_phone(not_phone)


def test_national_id_kind_names_the_scheme() -> None:
    assert v.national_id_kind("211062-5629") == "dk_cpr"
    assert v.national_id_kind("880320-0016") in {"se_personnummer", "dk_cpr"}
    assert v.national_id_kind("19880320-0016") == "se_personnummer"
    assert v.national_id_kind("943 476 5919") == "gb_nhs"
    assert v.national_id_kind("536-90-4399") == "us_ssn"
    assert v.national_id_kind("36 574 261 809") == "de_idnr"
    assert v.national_id_kind("Stage IIB") is None


@pytest.mark.parametrize("number", ["1.234.567", "12 345 678", "1 2 3 4 5 6 7", "250 000 000"])
def test_grouped_numbers_are_not_phone_numbers(number: str) -> None:
    assert not v.is_phone(number)
