"""The privacy policy file: what to do with each identifying column.

A YAML file in the project folder (``privacy-policy.yaml``)::

    version: "2026-11-25"            # your version label (recorded in provenance)
    key:                             # where the pseudonymization key comes from
      env: HARMONIZE_PSEUDONYM_KEY   #   an environment variable (default), or
      file: secrets/pseudonym.key    #   a key file (relative to this policy file)
    columns:                         # per column (exact header, or an RDF predicate)
      patient_name: drop
      cpr: pseudonymize
      age: generalize                # age -> 5-year bands
      visit_date: {action: generalize, method: year}
      zip: {action: generalize, method: prefix, length: 2}
      notes: {action: keep, reason: "reviewed by the DPO, no identifiers"}
    kinds:                           # per detected kind (national_id, email, ...)
      email: drop
    categories:                      # per category (direct, quasi)
      direct: pseudonymize

The most specific rule wins: column, then kind, then category. ``keep`` needs a reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harmonize.errors import PrivacyError, excerpt, shorten
from harmonize.io.yaml_text import parse_yaml

__all__ = [
    "ACTIONS",
    "DEFAULT_KEY_ENV",
    "GENERALIZE_METHODS",
    "Policy",
    "PolicyError",
    "Rule",
    "load_policy",
    "parse_policy",
]

ACTIONS = ("drop", "pseudonymize", "generalize", "keep")
GENERALIZE_METHODS = ("age_band", "year", "prefix")
DEFAULT_KEY_ENV = "HARMONIZE_PSEUDONYM_KEY"
_RULE_KEYS = frozenset({"action", "reason", "method", "width", "length"})
_TOP_KEYS = frozenset({"version", "key", "columns", "kinds", "categories", "description"})


class PolicyError(PrivacyError):
    """A privacy policy file is malformed or asks for something impossible."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One policy decision: an action and its options."""

    action: str
    reason: str | None = None
    method: str | None = None  # generalize: age_band | year | prefix (default from the kind)
    width: int = 5  # age_band width in years
    length: int = 2  # prefix length in characters

    def describe(self) -> str:
        if self.action == "generalize" and self.method:
            return f"generalize ({self.method})"
        return self.action


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy file; ``digest`` is the SHA-256 of its bytes."""

    columns: Mapping[str, Rule] = field(default_factory=dict)
    kinds: Mapping[str, Rule] = field(default_factory=dict)
    categories: Mapping[str, Rule] = field(default_factory=dict)
    version: str = ""
    digest: str = ""
    path: Path | None = None
    key_env: str = DEFAULT_KEY_ENV
    key_file: Path | None = None

    def rule_for(
        self, column: str, *, kind: str | None = None, category: str | None = None
    ) -> tuple[Rule, str] | None:
        """The rule for a column and where it came from (``column:x``, ``kind:x``, ...)."""
        for name in _candidates(column):
            if name in self.columns:
                return self.columns[name], f"column:{name}"
        folded = {k.casefold(): k for k in self.columns}
        for name in _candidates(column):
            if name.casefold() in folded:
                key = folded[name.casefold()]
                return self.columns[key], f"column:{key}"
        if kind is not None and kind in self.kinds:
            return self.kinds[kind], f"kind:{kind}"
        if category is not None and category in self.categories:
            return self.categories[category], f"category:{category}"
        return None

    def label(self) -> str:
        """Version label for provenance: the file's own version, else its digest."""
        return self.version or self.digest[:12]


def _candidates(column: str) -> list[str]:
    """A column name, and for an RDF predicate IRI/CURIE also its local name."""
    names = [column]
    for sep in ("#", "/", ":"):
        if sep in column:
            local = column.rsplit(sep, 1)[1]
            if local and local not in names:
                names.append(local)
            break
    return names


def _rule(raw: object, where: str, path: Path | None) -> Rule:
    if isinstance(raw, str):
        data: dict[str, Any] = {"action": raw}
    elif isinstance(raw, Mapping):
        data = dict(raw)
        unknown = set(data) - _RULE_KEYS
        if unknown:
            raise PolicyError(
                f"{where}: unknown option(s) {shorten(', '.join(sorted(map(str, unknown))), 200)}; "
                f"allowed: {', '.join(sorted(_RULE_KEYS))}",
                path=path,
            )
    else:
        raise PolicyError(
            f"{where}: expected an action ({', '.join(ACTIONS)}) or a mapping with 'action'",
            path=path,
        )
    action = str(data.get("action", "")).strip().lower()
    if action not in ACTIONS:
        raise PolicyError(
            f"{where}: unknown action {excerpt(data.get('action'))}; "
            f"use one of {', '.join(ACTIONS)}",
            path=path,
        )
    reason = data.get("reason")
    if action == "keep" and not (isinstance(reason, str) and reason.strip()):
        raise PolicyError(f"{where}: 'keep' needs a reason (reason: ...)", path=path)
    method = data.get("method")
    if method is not None and (action != "generalize" or method not in GENERALIZE_METHODS):
        raise PolicyError(
            f"{where}: method {excerpt(method)} is only for generalize and must be one of "
            f"{', '.join(GENERALIZE_METHODS)}",
            path=path,
        )
    numbers: dict[str, int] = {}
    for key, default in (("width", 5), ("length", 2)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise PolicyError(f"{where}: {key} must be a positive whole number", path=path)
        numbers[key] = value
    return Rule(
        action=action,
        reason=reason.strip() if isinstance(reason, str) else None,
        method=method,
        width=numbers["width"],
        length=numbers["length"],
    )


def _section(data: Mapping[str, Any], name: str, path: Path | None) -> dict[str, Rule]:
    raw = data.get(name) or {}
    if not isinstance(raw, Mapping):
        raise PolicyError(f"'{name}' must be a mapping of name: action", path=path)
    return {
        str(key): _rule(value, f"{name}.{shorten(str(key), 80)}", path)
        for key, value in raw.items()
    }


def parse_policy(text: str, *, path: Path | None = None) -> Policy:
    """Parse policy YAML text (see the module doc for the format)."""

    data = parse_yaml(text, path=path, error=PolicyError, message="cannot parse policy YAML")
    if data is None:
        raise PolicyError("policy file is empty", path=path)
    if not isinstance(data, Mapping):
        raise PolicyError(
            "policy must be a YAML mapping (columns:, kinds:, categories:)", path=path
        )
    unknown = set(map(str, data)) - _TOP_KEYS
    if unknown:
        raise PolicyError(
            f"unknown policy section(s) {', '.join(sorted(unknown))}; "
            f"allowed: {', '.join(sorted(_TOP_KEYS))}",
            path=path,
        )
    categories = _section(data, "categories", path)
    bad = set(categories) - {"direct", "quasi", "none"}
    if bad:
        raise PolicyError(
            f"categories: unknown category {', '.join(sorted(bad))}; use direct, quasi or none",
            path=path,
        )
    key = data.get("key") or {}
    if not isinstance(key, Mapping) or set(map(str, key)) - {"env", "file"}:
        raise PolicyError("'key' must be a mapping with 'env' and/or 'file'", path=path)
    key_file = None
    if key.get("file"):
        key_file = Path(str(key["file"])).expanduser()
        if not key_file.is_absolute() and path is not None:
            key_file = path.parent / key_file
    version = data.get("version")
    return Policy(
        columns=_section(data, "columns", path),
        kinds=_section(data, "kinds", path),
        categories=categories,
        version="" if version is None else str(version),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path,
        key_env=str(key.get("env") or DEFAULT_KEY_ENV),
        key_file=key_file,
    )


def load_policy(path: str | Path) -> Policy:
    """Read and parse a policy file; a one-line :class:`PolicyError` on any problem."""
    from harmonize.io.files import read_input_text
    from harmonize.io.limits import DEFAULT_LIMITS

    path = Path(path)
    if not path.exists():
        raise PolicyError("policy file not found", path=path)
    text = read_input_text(
        path, max_bytes=DEFAULT_LIMITS.max_yaml_bytes, error=PolicyError, what="policy file"
    )
    return parse_policy(text, path=path)
