"""Credentials for pushing to a triple store: bearer token, HTTP basic or digest.

Virtuoso's ``/sparql-graph-crud-auth`` and ``/sparql-auth`` ask for digest (RFC 7616,
MD5): :class:`Authorizer` answers a challenge fetched up front with an empty request, so a
large body is never sent only to be refused (Virtuoso closes the connection on its 401,
which a client still sending a body sees as a broken pipe).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["PASSWORD_ENV", "TOKEN_ENV", "USER_ENV", "Authorizer", "PushAuth", "auth_from_env"]

USER_ENV = "HARMONIZE_PUSH_USER"
PASSWORD_ENV = "HARMONIZE_PUSH_PASSWORD"
TOKEN_ENV = "HARMONIZE_PUSH_TOKEN"


@dataclass(frozen=True)
class PushAuth:
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


def auth_from_env(
    user: str | None = None, password: str | None = None, token: str | None = None
) -> PushAuth:
    """Flags win over ``$HARMONIZE_PUSH_USER`` / ``_PASSWORD`` / ``_TOKEN``."""
    return PushAuth(
        user=user or os.environ.get(USER_ENV) or None,
        password=password or os.environ.get(PASSWORD_ENV) or None,
        token=token or os.environ.get(TOKEN_ENV) or None,
    )


class Authorizer:
    """Builds the ``Authorization`` header: bearer, basic, or digest (RFC 7616, MD5).

    Digest credentials are computed up front from a challenge fetched with an empty
    request, so a large body is never sent only to be refused (Virtuoso closes the
    connection on its 401, which a client still sending a body sees as a broken pipe).
    """

    def __init__(self, auth: PushAuth) -> None:
        self.auth = auth
        self.challenge: dict[str, str] | None = None
        self.basic = False
        self.count = 0

    @property
    def has_password(self) -> bool:
        return self.auth.user is not None and self.auth.password is not None

    def learn(self, header: str | None) -> bool:
        """Take a ``WWW-Authenticate`` value; True when a retry with credentials makes sense."""
        if not header or not self.has_password:
            return False
        scheme = header.strip().split(" ", 1)[0].lower()
        if scheme == "digest":
            self.challenge = {k.lower(): (q if q else v) for k, v, q in _PARAM.findall(header)}
            self.count = 0
            return True
        if scheme == "basic":
            self.basic = True
            return True
        return False

    def header(self, method: str, url: str) -> str | None:
        if self.auth.token:
            return f"Bearer {self.auth.token}"
        if not self.has_password:
            return None
        user, password = self.auth.user or "", self.auth.password or ""
        if self.challenge is not None:
            c = self.challenge
            parts = urlsplit(url)
            uri = parts.path + (f"?{parts.query}" if parts.query else "")
            self.count += 1
            nc = f"{self.count:08x}"
            cnonce = secrets.token_hex(8)
            ha1 = _md5(f"{user}:{c.get('realm', '')}:{password}")
            ha2 = _md5(f"{method}:{uri}")
            qop = "auth" if "auth" in c.get("qop", "").split(",") else ""
            if qop:
                response = _md5(f"{ha1}:{c.get('nonce', '')}:{nc}:{cnonce}:{qop}:{ha2}")
            else:
                response = _md5(f"{ha1}:{c.get('nonce', '')}:{ha2}")
            fields = [
                f'username="{user}"',
                f'realm="{c.get("realm", "")}"',
                f'nonce="{c.get("nonce", "")}"',
                f'uri="{uri}"',
                f'response="{response}"',
                "algorithm=MD5",
            ]
            if qop:
                fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
            if "opaque" in c:
                fields.append(f'opaque="{c["opaque"]}"')
            return "Digest " + ", ".join(fields)
        if self.basic or urlsplit(url).scheme == "https":
            pair = base64.b64encode(f"{user}:{password}".encode()).decode()
            return f"Basic {pair}"
        return None


_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
