"""What a query may cost on the endpoint, and the errors that say it went past.

Every limit is a setting of :class:`Limits` (``harmonize serve`` flags), checked where it
can be enforced for real: query size and nesting before anything parses the text, SERVICE
before evaluation, time and memory in the worker process that evaluates (killed at the
time limit; its address space capped), rows and bytes while the result is written. Each
error class maps to one HTTP status, so the server never has to guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from harmonize.errors import PublishError

__all__ = [
    "Limits",
    "NotAcceptableError",
    "QueryBusyError",
    "QueryError",
    "QueryMemoryError",
    "QueryOutcome",
    "QueryRefusedError",
    "QueryRejectedError",
    "QueryRetryError",
    "QueryTimeoutError",
    "service_allowed",
]

MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied to every query; each is reported when hit, never silent."""

    max_rows: int = 10_000
    timeout_s: float = 30.0
    #: Bytes of one serialized answer (rows stop before this; the answer stays valid).
    max_result_bytes: int = 32 * MIB
    #: Bytes of the query text (UTF-8).
    max_query_bytes: int = 256 * 1024
    #: Brackets ``{ ( [`` open at once; deeper queries crash parsers, so they are refused.
    max_depth: int = 100
    #: Memory one query may use on top of its worker's own (address space, MiB).
    max_memory_mb: int = 1024
    #: URL prefixes a ``SERVICE`` clause may call; empty: SERVICE is refused.
    allow_service: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    body: bytes
    media_type: str
    form: str  # select | ask | graph
    rows: int
    truncated: bool
    elapsed_s: float
    note: str | None = None


class QueryError(PublishError):
    """A query the endpoint will not answer; ``status`` is the HTTP status to send."""

    status = 400


class QueryRejectedError(QueryError):
    """Bad request: a syntax error, too large or deep, a SERVICE not allowed, an
    evaluation error (unknown function...)."""


class QueryRefusedError(QueryError):
    """The request asks for something this endpoint never does (e.g. an update)."""

    status = 403


class NotAcceptableError(QueryError):
    """No format the ``Accept`` header allows fits this kind of answer."""

    status = 406


class QueryTimeoutError(QueryError):
    """The query ran past the time cap (its worker was stopped)."""

    status = 503


class QueryMemoryError(QueryError):
    """The query needed more memory than its cap (its worker was stopped)."""

    status = 503


class QueryBusyError(QueryError):
    """Every query slot stayed busy until the time cap."""

    status = 503


class QueryRetryError(QueryError):
    """The visible data changed while the query ran; the answer was withheld."""

    status = 503


def service_allowed(iri: str, prefixes: tuple[str, ...]) -> bool:
    """True when ``iri`` starts with one of ``prefixes`` at a boundary of the URL.

    A prefix that does not end with ``/``, ``?`` or ``#`` must be followed by one of
    them (or nothing), so ``http://a.org`` never lets ``http://a.org.evil.net/`` through.

    >>> service_allowed("https://query.wikidata.org/sparql", ("https://query.wikidata.org",))
    True
    >>> service_allowed("https://query.wikidata.org.evil.net/", ("https://query.wikidata.org",))
    False
    >>> service_allowed("http://127.0.0.1:7878/query", ())
    False

    An IRI with dot segments (``/../``, also percent-encoded) is never allowed: a client
    might resolve it outside the prefix.

    >>> service_allowed("https://query.wikidata.org/x/../../admin", ("https://query.wikidata.org/x/",))
    False
    """
    path = iri.split("?", 1)[0].split("#", 1)[0].lower().replace("%2e", ".")
    segments = path.split("/")[3:]
    if any(segment in (".", "..") for segment in segments):
        return False
    for prefix in prefixes:
        if not prefix or not iri.startswith(prefix):
            continue
        rest = iri[len(prefix) :]
        if prefix.endswith(("/", "?", "#")) or not rest or rest[0] in "/?#":
            return True
    return False
