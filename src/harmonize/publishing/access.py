"""Who may see restricted graphs: requests carrying the configured bearer token.

The token comes from ``--token-file FILE`` or the ``HARMONIZE_PUBLISH_TOKEN`` environment
variable; it is compared in constant time and never logged. Without a configured token,
restricted graphs are served to nobody.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.errors import PublishError

__all__ = ["TOKEN_ENV", "AccessPolicy", "Decision", "load_access_policy"]

TOKEN_ENV = "HARMONIZE_PUBLISH_TOKEN"


@dataclass(frozen=True)
class Decision:
    """What one request may see. ``error`` is set for a wrong token (HTTP 401)."""

    authorized: bool
    error: str | None = None


@dataclass(frozen=True)
class AccessPolicy:
    token: str | None = field(default=None, repr=False)

    @property
    def configured(self) -> bool:
        return bool(self.token)

    def decide(self, authorization: str | None) -> Decision:
        """Decide from an ``Authorization`` header value (``Bearer <token>``)."""
        if not authorization:
            return Decision(authorized=False)
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return Decision(False, "only 'Authorization: Bearer <token>' is accepted")
        if not self.token:
            return Decision(False, "this endpoint has no access token configured")
        if hmac.compare_digest(credentials.strip().encode(), self.token.encode()):
            return Decision(authorized=True)
        return Decision(False, "the bearer token is not valid")


def load_access_policy(token_file: str | Path | None = None) -> AccessPolicy:
    """The token from ``token_file`` (first line) or ``$HARMONIZE_PUBLISH_TOKEN``."""
    if token_file is not None:
        path = Path(token_file)
        try:
            token = path.read_text(encoding="utf-8").strip().splitlines()
        except OSError as exc:
            raise PublishError(f"cannot read the token file: {exc.strerror}", path=path) from None
        if not token or len(token[0].strip()) < 16:
            raise PublishError(
                "the token file must hold a token of 16 characters or more", path=path
            )
        return AccessPolicy(token[0].strip())
    env = os.environ.get(TOKEN_ENV, "").strip()
    if env and len(env) < 16:
        raise PublishError(f"${TOKEN_ENV} must hold a token of 16 characters or more")
    return AccessPolicy(env or None)
