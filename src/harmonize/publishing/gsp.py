"""Push named graphs to another triple store, one graph at a time, never half-replaced.

Each graph goes first to a *staging graph* on the target over the SPARQL 1.1 Graph Store
HTTP Protocol (``PUT`` of the first batch of N-Triples, ``POST`` of the rest), then one
SPARQL Update swaps it in: ``MOVE`` (replace) or ``ADD`` (merge, for the ontology-terms
graphs), which the store runs as one transaction. Until that moment the target's graph is
untouched: a push cut off midway (the client or the target stopped, the network gone)
leaves the previous version whole, and the error says so. Counts are read back from the
target (``COUNT`` over the graph), not the lines sent.

The query and update endpoints are found next to the Graph Store URL for the stores
harmonize knows (Oxigraph server ``/store`` → ``/query`` and ``/update``; Fuseki ``/data``;
Virtuoso ``/sparql-graph-crud-auth`` → ``/sparql-auth``) or given explicitly. The staging
graph's name is derived from the graph's (``…/internal/staging/push/<hash>``): the next
push of the same graph replaces what an interrupted one left there. A store that protects
graphs by name must protect that prefix too.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from harmonize.errors import PublishError
from harmonize.publishing.push_auth import Authorizer, PushAuth, auth_from_env
from harmonize.publishing.vocab import STAGING_PREFIX

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "DEFAULT_BATCH",
    "PushAuth",
    "PushResult",
    "PushTarget",
    "UnknownEndpointsError",
    "auth_from_env",
    "push_graph",
    "staging_graph",
    "target_for",
]

DEFAULT_BATCH = 250_000
#: Last path segment of a Graph Store URL -> (query, update) segments beside it.
_SIBLINGS = {
    "store": ("query", "update"),  # Oxigraph server
    "data": ("query", "update"),  # Apache Jena Fuseki
    "sparql-graph-crud-auth": ("sparql-auth", "sparql-auth"),  # Virtuoso, digest auth
    "sparql-graph-crud": ("sparql", "sparql"),  # Virtuoso
}


class UnknownEndpointsError(PublishError):
    """The SPARQL endpoints beside a Graph Store URL cannot be derived from it."""


@dataclass(frozen=True, slots=True)
class PushResult:
    graph: str
    triples: int  # stored in the graph after the push, read back from the target
    requests: int  # Graph Store requests that carried data
    sent: int = 0  # N-Triples lines sent (duplicates collapse on the target)


@dataclass(frozen=True)
class PushTarget:
    """Where a push goes: the Graph Store and the SPARQL endpoints beside it."""

    store_url: str
    query_url: str
    update_url: str
    auth: PushAuth = field(default_factory=PushAuth)


def target_for(
    url: str,
    *,
    auth: PushAuth | None = None,
    query_url: str | None = None,
    update_url: str | None = None,
) -> PushTarget:
    """The target at Graph Store ``url``; query/update endpoints derived when not given.

    >>> t = target_for("http://127.0.0.1:7878/store")
    >>> t.query_url, t.update_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublishError(f"a push needs an http(s) Graph Store URL, got {url!r}")
    if query_url is None or update_url is None:
        head, _, last = parts.path.rstrip("/").rpartition("/")
        if last not in _SIBLINGS:
            raise UnknownEndpointsError(
                f"cannot tell the SPARQL query and update endpoints beside the Graph Store "
                f"at {url} (known: .../store, .../data, .../sparql-graph-crud[-auth])"
            )
        query_seg, update_seg = _SIBLINGS[last]
        query_url = query_url or urlunsplit(
            (parts.scheme, parts.netloc, f"{head}/{query_seg}", "", "")
        )
        update_url = update_url or urlunsplit(
            (parts.scheme, parts.netloc, f"{head}/{update_seg}", "", "")
        )
    return PushTarget(url, query_url, update_url, auth or PushAuth())


def staging_graph(graph: str) -> str:
    """The staging graph a push of ``graph`` loads into (stable per graph)."""
    return f"{STAGING_PREFIX}push/{hashlib.sha256(graph.encode('utf-8')).hexdigest()[:32]}"


def _graph_url(store_url: str, graph: str) -> str:
    sep = "&" if urlsplit(store_url).query else "?"
    return f"{store_url}{sep}graph={quote(graph, safe='')}"


def _batches(triples: Iterable[pyoxigraph.Triple], size: int) -> Iterator[tuple[bytes, int]]:
    lines: list[str] = []
    for triple in triples:
        lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
        if len(lines) >= size:
            yield "".join(lines).encode("utf-8"), len(lines)
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8"), len(lines)


class _Client:
    """HTTP to one target (standard library only), answering auth challenges."""

    def __init__(self, target: PushTarget, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.authorizer = Authorizer(target.auth)

    def send(
        self, method: str, url: str, body: bytes, content_type: str, accept: str = "*/*"
    ) -> bytes:
        for attempt in range(2):
            request = urllib.request.Request(url, data=body, method=method)
            request.add_header("Content-Type", content_type)
            request.add_header("Accept", accept)
            header = self.authorizer.header(method, url)
            if header:
                request.add_header("Authorization", header)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return bytes(response.read())
            except urllib.error.HTTPError as exc:
                challenge = exc.headers.get("WWW-Authenticate") if exc.headers else None
                if exc.code == 401 and attempt == 0 and self.authorizer.learn(challenge):
                    continue  # first contact, or a stale nonce: retry once with credentials
                detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
                hint = (
                    " (check the user and password, or the token)" if exc.code in (401, 403) else ""
                )
                raise PublishError(
                    f"{method} {url} failed: HTTP {exc.code} {exc.reason}{hint}"
                    + (f": {detail[0][:160]}" if detail else "")
                ) from None
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise PublishError(f"cannot reach the triple store at {url}: {reason}") from None
        raise PublishError(f"{method} {url} failed: the credentials were refused")

    def graph_data(self, method: str, graph: str, body: bytes) -> None:
        self.send(method, _graph_url(self.target.store_url, graph), body, "application/n-triples")

    def update(self, text: str) -> None:
        body = urlencode({"update": text}).encode("utf-8")
        self.send("POST", self.target.update_url, body, "application/x-www-form-urlencoded")

    def count(self, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = urlencode({"query": query}).encode("utf-8")
        data = self.send("POST", self.target.query_url, body,
                         "application/x-www-form-urlencoded",
                         accept="application/sparql-results+json")  # fmt: skip
        try:
            rows = json.loads(data)["results"]["bindings"]
            return int(rows[0]["n"]["value"]) if rows else 0
        except (ValueError, KeyError, IndexError, TypeError):
            raise PublishError(
                f"the SPARQL endpoint {self.target.query_url} did not answer a count "
                "as SPARQL JSON results"
            ) from None


def _stopped(reason: str, graph: str, url: str, requests: int, sent: int) -> PublishError:
    return PublishError(
        f"pushing {graph} to {url} stopped after {requests} request(s) ({sent:,} triples "
        f"sent): {reason}; the target's {graph} is unchanged, its previous version intact "
        f"(the new one was loading into the staging graph {staging_graph(graph)})"
    )


def push_graph(
    url: str,
    graph: str,
    triples: Iterable[pyoxigraph.Triple],
    *,
    auth: PushAuth | None = None,
    replace: bool = True,
    batch_size: int = DEFAULT_BATCH,
    timeout: float = 600.0,
    query_url: str | None = None,
    update_url: str | None = None,
) -> PushResult:
    """Send ``triples`` as graph ``graph`` to the Graph Store at ``url``: staged, then
    swapped in by one transaction (``replace``: the old content goes; else merged).

    A failure before the swap raises :class:`PublishError` saying the target's graph is
    unchanged. The result counts what the target holds afterwards.
    """
    client = _Client(
        target_for(url, auth=auth, query_url=query_url, update_url=update_url), timeout
    )
    staging = staging_graph(graph)
    requests = sent = 0
    try:
        if client.authorizer.has_password and not client.target.auth.token:
            client.graph_data("POST", staging, b"")  # empty merge: learns the challenge
        for body, count in _batches(triples, batch_size):
            client.graph_data("PUT" if requests == 0 else "POST", staging, body)
            requests += 1
            sent += count
        if requests == 0:
            client.update(f"DROP SILENT GRAPH <{staging}>")  # an empty new version
        staged = client.count(staging)
    except PublishError as exc:
        raise _stopped(exc.message, graph, url, requests, sent) from None
    except (SyntaxError, OSError, ValueError) as exc:  # the data ran out mid-way
        raise _stopped(f"cannot read the data: {exc}", graph, url, requests, sent) from None
    if sent and not staged:
        raise _stopped("the target stored none of the triples sent", graph, url, requests, sent)
    if replace:
        swap = f"MOVE SILENT <{staging}> TO <{graph}>"
    else:
        swap = f"ADD SILENT <{staging}> TO <{graph}> ;\nDROP SILENT GRAPH <{staging}>"
    try:
        client.update(swap)
    except PublishError as exc:
        hint = (
            " (Virtuoso: raise TransactionAfterImageLimit in virtuoso.ini for graphs this big)"
            if "SR325" in exc.message
            else ""
        )
        raise PublishError(
            f"swapping the new version of {graph} in failed: {exc.message}{hint}; the target "
            "runs the swap as one transaction, so its graph holds the previous version or "
            "the whole new one"
        ) from None
    return PushResult(graph=graph, triples=client.count(graph), requests=requests, sent=sent)
