"""The real review server: SIGKILL mid-write loses nothing; beyond localhost it needs a token."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harmonize.mappings.ledger import Ledger

pytestmark = pytest.mark.slow


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_killed_server_leaves_a_sound_ledger_with_every_acknowledged_decision(
    start_server: Callable[..., Any], review_data: Path
) -> None:
    server = start_server(str(review_data / "partner1_tissue.sssom.tsv"))
    with urllib.request.urlopen(server.url + "/?status=") as resp:
        html = resp.read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    subjects = sorted(set(re.findall(r"s=(local%3Atissue/[^\"&]+)", html)))
    assert len(subjects) >= 10
    opener = urllib.request.build_opener(_NoRedirect)
    acknowledged: list[str] = []
    stop = threading.Event()
    reader = Ledger.open(server.ledger)

    def steward(n: int) -> None:
        i = 0
        while not stop.is_set():
            comment = f"w{n}-{i}"
            subject = urllib.parse.unquote(subjects[i % len(subjects)])
            body = urllib.parse.urlencode(
                {
                    "csrf": csrf,
                    "s": subject,
                    "action": "defer",
                    "comment": comment,
                    "version": str(reader.state(subject).version),  # a race: 409, retried
                }
            ).encode()
            try:
                opener.open(server.url + "/decide", data=body, timeout=10)
            except urllib.error.HTTPError as exc:
                if exc.code == 303:  # the server answered: the decision is committed
                    acknowledged.append(comment)
                elif exc.code != 409:  # a conflict commits nothing; anything else is wrong
                    errors.append(exc.code)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return  # the server is gone
            i += 1

    errors: list[int] = []
    threads = [threading.Thread(target=steward, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # SIGKILL mid-traffic
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert server.proc.returncode == -9
    assert len(acknowledged) >= 40 and not errors
    ledger = Ledger.open(server.ledger)
    assert ledger.integrity_check() == "ok"
    stored = {d.comment for d in ledger.decisions()}
    missing = [c for c in acknowledged if c not in stored]
    assert not missing, f"acknowledged but lost: {missing[:5]}"
    # a new server on the same ledger starts and sees them
    again = start_server(str(review_data / "partner1_tissue.sssom.tsv"), ledger=server.ledger)
    with urllib.request.urlopen(again.url + "/?status=deferred") as resp:
        assert "deferred" in resp.read().decode()


def test_a_server_bound_beyond_localhost_requires_its_token(
    start_server: Callable[..., Any], review_data: Path
) -> None:
    token = "team-token-0123456789abcdef"
    server = start_server(
        str(review_data / "partner1_tissue.sssom.tsv"), "--host", "0.0.0.0", "--token", token
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(server.url + "/")
    assert info.value.code == 401
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(f"{server.url}/?token={token}") as resp:  # sets the cookie, drops ?token
        assert resp.status == 200 and "token" not in resp.url
        assert "liver bx" in resp.read().decode()
    with opener.open(server.url + "/progress") as resp:  # the cookie carries it on
        assert resp.status == 200
    log = next(server.folder.glob("server-*.log")).read_text()
    assert f"?token={token}" in log and "the token is required" in log
