"""Running the reconciliation service: the address it is reached at, and uvicorn."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

from harmonize.errors import ReconcileError

if TYPE_CHECKING:
    from harmonize.reconcile.service import ReconcileService

__all__ = ["serve", "service_url", "warm"]


def service_url(host: str, port: int, token: str | None) -> str:
    """The URL to add in OpenRefine (with the token path when one is required)."""
    from harmonize.reconcile.guard import TOKEN_PREFIX

    shown = f"[{host.strip('[]')}]" if ":" in host else host
    if shown in {"0.0.0.0", "[::]"}:
        shown = socket.gethostname()
    return f"http://{shown}:{port}" + (f"{TOKEN_PREFIX}{token}/" if token else "/")


def warm(service: ReconcileService) -> None:
    """Build the default types' matchers ahead of the first request (best effort)."""
    from harmonize.errors import HarmonizeError

    for t in service.types:
        if t.kind != "slot":  # slot ontologies load on first use: they may be large
            try:
                service.matcher(t.id)
            except HarmonizeError:  # reported to the request that needs it
                continue


def serve(
    service: ReconcileService,
    *,
    host: str = "127.0.0.1",
    port: int = 8766,
    token: str | None = None,
    reviewer_name: str = "anonymous",
) -> None:
    """Serve until interrupted (blocking); a port in use is a one-line error."""
    import threading

    import uvicorn

    from harmonize.reconcile.app import create_app
    from harmonize.review.server import is_loopback

    sock = _listen(host, port)
    threading.Thread(target=warm, args=(service,), name="reconcile-warm", daemon=True).start()
    app = create_app(
        service, reviewer_name=reviewer_name, token=token, loopback_only=is_loopback(host)
    )
    config = uvicorn.Config(app, host=host.strip("[]"), port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket uvicorn serves on (bound here, so a busy port is our error)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ReconcileError(f"cannot listen on {host}:{port} ({exc.strerror})") from exc
    return sock
