"""Serving the workbench: binding rules and the uvicorn server."""

from __future__ import annotations

import ipaddress
import secrets
from typing import TYPE_CHECKING

from harmonize.errors import ReviewError

if TYPE_CHECKING:
    from harmonize.review.workspace import Workspace

__all__ = ["is_loopback", "resolve_token", "serve"]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_token(host: str, token: str | None) -> str | None:
    """The token the server must require: none on loopback unless given; bound
    elsewhere, the given one or a fresh random one (never no token)."""
    if token is not None and len(token) < 16:
        raise ReviewError("the access token must be at least 16 characters", value=token)
    if is_loopback(host):
        return token
    return token or secrets.token_urlsafe(24)


def serve(
    workspace: Workspace,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    reviewer_name: str | None = None,
    token: str | None = None,
) -> None:
    """Run the workbench until interrupted (blocking)."""
    import socket

    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise ReviewError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another port"
            ) from exc

    import threading

    from harmonize.review.app import create_app

    threading.Thread(target=workspace.warm, name="review-warm", daemon=True).start()
    app = create_app(
        workspace, reviewer_name=reviewer_name, token=token, loopback_only=is_loopback(host)
    )
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    uvicorn.Server(config).run()
