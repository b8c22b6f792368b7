"""Keyed pseudonyms (HMAC-SHA256) and generalization of quasi-identifiers.

The same value gives the same pseudonym under the same key, in every file and every
run, so records still link; without the key a pseudonym cannot be reversed or
recomputed. The key is read from an environment variable or a key file and is never
written anywhere; provenance records only a fingerprint derived from it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

from harmonize.errors import HarmonizeWarning, PrivacyError
from harmonize.privacy.dates import parse_date
from harmonize.privacy.policy import DEFAULT_KEY_ENV, Policy

__all__ = [
    "MIN_KEY_BYTES",
    "KeyMissingError",
    "age_band",
    "canonical",
    "key_fingerprint",
    "load_key",
    "load_key_with_source",
    "postcode_prefix",
    "pseudonym",
    "year_of",
]

MIN_KEY_BYTES = 16


class KeyMissingError(PrivacyError):
    """No pseudonymization key is set (the CLI adds its ``--key-file`` option)."""


_DOMAIN = b"harmonize-pseudonym-v1\x00"
_NUMERIC_ID = re.compile(r"^\+?[\d\s\-./()]+$")


def load_key(
    policy: Policy | None = None,
    *,
    key_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> bytes:
    """The pseudonymization key: ``key_file``, else the policy's env variable, else its file.

    Raises a one-line :class:`PrivacyError` (never showing the key) when none is set or
    the key is shorter than 16 bytes.
    """
    return load_key_with_source(policy, key_file=key_file, environ=environ)[0]


def load_key_with_source(
    policy: Policy | None = None,
    *,
    key_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[bytes, str]:
    """:func:`load_key` plus where the key came from (for provenance, never the key)."""
    env = os.environ if environ is None else environ
    env_name = policy.key_env if policy is not None else DEFAULT_KEY_ENV
    source: str
    if key_file is not None:
        raw = _read_key_file(Path(key_file))
        source = f"key file {key_file}"
    elif env.get(env_name):
        raw = env[env_name].encode("utf-8")
        source = f"environment variable {env_name}"
    elif policy is not None and policy.key_file is not None:
        raw = _read_key_file(policy.key_file)
        source = f"key file {policy.key_file}"
    else:
        raise KeyMissingError(
            f"no pseudonymization key: the environment variable {env_name} is not set "
            "(or give a key file: key: {file: ...} in the policy)",
            path=policy.path if policy is not None else None,
        )
    key = raw.strip()
    if len(key) < MIN_KEY_BYTES:
        raise PrivacyError(
            f"pseudonymization key from {source} is too short "
            f"({len(key)} bytes; use at least {MIN_KEY_BYTES}, e.g. 32 random bytes as hex)"
        )
    return key, source


def _read_key_file(path: Path) -> bytes:
    from harmonize.io.files import read_input_bytes
    from harmonize.io.limits import DEFAULT_LIMITS

    path = path.expanduser()
    limit = DEFAULT_LIMITS.max_key_bytes
    data = read_input_bytes(path, max_bytes=limit, error=PrivacyError, what="key file")
    mode = path.stat().st_mode
    if os.name == "posix" and mode & 0o077:
        warnings.warn(
            f"{path}: the pseudonymization key file is readable by other users "
            f"(mode {mode & 0o777:o}); restrict it with chmod 600",
            HarmonizeWarning,
            stacklevel=3,
        )
    return data


def key_fingerprint(key: bytes) -> str:
    """A short public fingerprint of a key (tells which key was used, reveals nothing)."""
    return hmac.new(key, b"harmonize key fingerprint", hashlib.sha256).hexdigest()[:16]


def canonical(value: str) -> str:
    """The form a value is pseudonymized in, so notation does not break linkage.

    Whitespace is collapsed; numbers written with separators (``211062-5629``,
    ``+45 20 30 40 50``) keep only their digits; e-mail addresses are lower-cased.

    >>> canonical(" 211062-5629 "), canonical("Anna.Jensen@Example.DK"), canonical("Anna  Jensen")
    ('2110625629', 'anna.jensen@example.dk', 'Anna Jensen')
    """
    text = " ".join(value.split())
    if _NUMERIC_ID.match(text) and sum(ch.isdigit() for ch in text) >= 6:
        return ("+" if text.startswith("+") else "") + "".join(ch for ch in text if ch.isdigit())
    if "@" in text and " " not in text:
        return text.lower()
    return text


def pseudonym(value: str, key: bytes, *, prefix: str = "pid-", length: int = 20) -> str:
    """Keyed pseudonym of ``value``: ``prefix`` + the first ``length`` hex digits of HMAC-SHA256.

    Empty values stay empty.

    >>> p = pseudonym("211062-5629", b"k" * 32)
    >>> p == pseudonym("2110625629", b"k" * 32), p == pseudonym("211062-5629", b"j" * 32)
    (True, False)
    """
    text = canonical(value)
    if not text:
        return ""
    digest = hmac.new(key, _DOMAIN + text.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:length]


def age_band(value: str, width: int = 5, top: int = 90) -> str:
    """An age as a band of ``width`` years; ``top`` and above become ``"90+"``.

    Values that are not a number become empty (suppressed).

    >>> age_band("42"), age_band("40"), age_band("93.5"), age_band("n/a")
    ('40-44', '40-44', '90+', '')
    """
    try:
        age = float(value.strip().replace(",", "."))
    except ValueError:
        return ""
    if age < 0:
        return ""
    if age >= top:
        return f"{top}+"
    low = int(age // width) * width
    return f"{low}-{low + width - 1}"


def year_of(value: str) -> str:
    """The year of a date (``"1962-10-21"`` -> ``"1962"``); not a date -> empty.

    >>> year_of("21.10.1962"), year_of("1962"), year_of("soon")
    ('1962', '1962', '')
    """
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    date = parse_date(text)
    return str(date.year) if date is not None else ""


def postcode_prefix(value: str, length: int = 2) -> str:
    """The first ``length`` characters of a postcode (spaces removed).

    >>> postcode_prefix("2100"), postcode_prefix("BA6 2NE", 3)
    ('21', 'BA6')
    """
    return value.replace(" ", "").upper()[:length]
