"""Shared HTTP helper for the API clients: bounded requests, retries, a per-host circuit breaker.

Every request has an overall deadline (connecting, waiting and reading the body together), a
cap on the decompressed body, and a cap on Retry-After. Redirects are followed only within
the same host (and logged); a redirect to another host is refused. A host that failed
`breaker_failures` times in a row (refused connection, timeout, 5xx, or a Retry-After longer
than allowed) gets no more requests in this run.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
DEADLINE_TIMEOUTS = 4  # default request deadline, in read timeouts (60 s -> 240 s)


@dataclass(frozen=True)
class HttpSettings:
    """How patient a client is (seconds, bytes); see README "Settings"."""

    timeout: float = 60.0            # the longest silence while reading
    connect_timeout: float = 10.0    # the longest wait for a connection
    attempts: int = 5
    backoff: float = 2.0
    backoff_max: float = 120.0
    retry_after_max: float = 120.0   # a 429 asking for longer fails at once
    request_deadline: float | None = None  # one request, all attempts and waits included;
    #                                        None: DEADLINE_TIMEOUTS × the read timeout
    max_bytes: int = 50_000_000      # decompressed body (a full 120 000-cell answer is ~6 MB)
    breaker_failures: int = 3        # failures in a row that close a host for the run
    max_redirects: int = 5

    @property
    def deadline(self) -> float:
        """Return the seconds one request may take in all (attempts and waits included)."""
        return self.request_deadline if self.request_deadline is not None \
            else DEADLINE_TIMEOUTS * self.timeout


ENV = {"timeout": ("TILANNEKUVA_HTTP_TIMEOUT", float),
       "connect_timeout": ("TILANNEKUVA_HTTP_CONNECT_TIMEOUT", float),
       "attempts": ("TILANNEKUVA_HTTP_ATTEMPTS", int),
       "backoff": ("TILANNEKUVA_HTTP_BACKOFF", float),
       "retry_after_max": ("TILANNEKUVA_HTTP_RETRY_AFTER_MAX", float),
       "request_deadline": ("TILANNEKUVA_HTTP_REQUEST_DEADLINE", float),
       "max_bytes": ("TILANNEKUVA_HTTP_MAX_BYTES", int),
       "breaker_failures": ("TILANNEKUVA_HTTP_BREAKER_FAILURES", int)}


def settings_from_env(environ=None) -> HttpSettings:
    """Return settings overridden by the TILANNEKUVA_HTTP_* variables that are set."""
    env = os.environ if environ is None else environ
    values = {}
    try:
        for name, (var, kind) in ENV.items():
            if env.get(var):
                values[name] = kind(env[var])
    except ValueError as exc:
        raise ValueError(f"bad TILANNEKUVA_HTTP_* setting: {exc}") from exc
    if values.get("attempts", 1) < 1 or values.get("breaker_failures", 1) < 1:
        raise ValueError("bad TILANNEKUVA_HTTP_* setting: attempts and breaker failures must "
                         "be at least 1")
    if any(values.get(k, 1) <= 0 for k in ("timeout", "connect_timeout", "request_deadline",
                                           "max_bytes", "retry_after_max")):
        raise ValueError("bad TILANNEKUVA_HTTP_* setting: timeout, deadline and size must be "
                         "positive")
    return HttpSettings(**values)


class FetchError(RuntimeError):
    """A request failed for good; the message names the source, the table and the HTTP status."""

    def __init__(self, source: str, table: str, message: str, status: int | None = None):
        """Record where it failed and build the message."""
        self.source, self.table, self.status = source, table, status
        where = f"{source} {table}".strip()
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{where}: {message}{status_text}")


def host_of(url: str) -> str:
    """Return scheme://host:port of a URL (what same-host means)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


@dataclass
class Guard:
    """Run-wide limits shared by the clients: the run's deadline and each host's failures."""

    clock: Callable[[], float] = time.monotonic
    deadline: float | None = None    # clock() value after which nothing more is sent
    failures: dict[str, int] = field(default_factory=dict)
    closed: dict[str, str] = field(default_factory=dict)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    expired: bool = False            # a wait would have crossed the run's deadline

    def check(self, url: str) -> str | None:
        """Return why a request to url must not be sent (None: it may)."""
        host = host_of(url)
        if host in self.closed:
            return f"not sent: {self.closed[host]}"
        if self.expired or (self.deadline is not None and self.clock() >= self.deadline):
            return "not sent: the run's deadline has passed"
        return None

    def failed(self, url: str, why: str, limit: int, at_once: bool = False) -> None:
        """Count a failure of url's host; close the host after `limit` in a row."""
        host = host_of(url)
        self.failures[host] = limit if at_once else self.failures.get(host, 0) + 1
        if self.failures[host] >= limit and host not in self.closed:
            self.closed[host] = (f"{host} failed {self.failures[host]} times in a row "
                                 f"(last: {why}), so no more requests go to it in this run")

    def succeeded(self, url: str) -> None:
        """Reset the failure count of url's host."""
        self.failures[host_of(url)] = 0

    def remaining(self) -> float | None:
        """Return the seconds left before the run's deadline (None: no deadline)."""
        if self.expired:
            return 0.0
        return None if self.deadline is None else self.deadline - self.clock()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Return the wait a Retry-After header asks for (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, settings: HttpSettings) -> float:
    """Return the exponential backoff before retry number `attempt` (1-based)."""
    return min(settings.backoff_max, settings.backoff * (2 ** (attempt - 1)))


class _Retry(Exception):
    """An attempt failed in a way worth retrying; carries the reason and the host failure."""

    def __init__(self, why: str, status: int | None = None, wait: float | None = None):
        super().__init__(why)
        self.why, self.status, self.wait = why, status, wait


def _read_body(response: requests.Response, deadline: float, clock: Callable[[], float],
               settings: HttpSettings) -> bytes:
    """Read the (decompressed) body in chunks, within the deadline and the size cap."""
    body = bytearray()
    raw = response.raw
    while True:
        if clock() >= deadline:
            raise _Retry(f"the answer did not arrive within {settings.deadline:g} s "
                         f"(read {len(body)} bytes so far)")
        try:
            chunk = raw.read1(CHUNK, decode_content=True)
        except urllib3.exceptions.DecodeError as exc:
            raise ValueError(f"the compressed answer is damaged: {exc}") from exc
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            raise _Retry(f"timed out after {settings.timeout:g} s while reading the answer "
                         f"({len(body)} bytes so far)") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _Retry(f"the answer broke off after {len(body)} bytes "
                         f"({type(exc).__name__})") from exc
        if not chunk:
            return bytes(body)
        if len(body) + len(chunk) > settings.max_bytes:
            raise ValueError(f"the answer is larger than {settings.max_bytes:,} bytes "
                             "decompressed; refused")
        body += chunk


def _attempt(session: requests.Session, method: str, url: str, *, settings: HttpSettings,
             deadline: float, clock: Callable[[], float], guard: Guard,
             **kwargs) -> requests.Response:
    """Send one attempt, following same-host redirects; raise _Retry, FetchError or ValueError."""
    current = url
    for _ in range(settings.max_redirects + 1):
        left = max(0.001, deadline - clock())
        timeout = (min(settings.connect_timeout, left), min(settings.timeout, left))
        try:
            response = session.request(method, current, timeout=timeout, stream=True,
                                       allow_redirects=False, **kwargs)
        except requests.ConnectTimeout as exc:
            raise _Retry(f"cannot connect to {current} within {timeout[0]:g} s") from exc
        except requests.Timeout as exc:
            raise _Retry(f"timed out after {timeout[1]:g} s") from exc
        except requests.ConnectionError as exc:
            raise _Retry(f"cannot connect to {current} ({type(exc).__name__})") from exc
        try:
            if response.status_code in REDIRECT_STATUSES and "Location" in response.headers:
                target = urljoin(current, response.headers["Location"])
                if host_of(target) != host_of(current):
                    raise ValueError(f"{method} {current} was redirected to another host "
                                     f"({target}); refused")
                if method != "GET" and response.status_code not in (307, 308):
                    raise ValueError(f"{method} {current} answered {response.status_code} "
                                     f"(a redirect that would drop the query); refused")
                guard.redirects.append((current, target))
                current = target
                continue
            response._content = _read_body(response, deadline, clock, settings)
            response._content_consumed = True
            return response
        finally:
            response.close()
    raise ValueError(f"{method} {url} was redirected more than {settings.max_redirects} times")


def request(session: requests.Session, method: str, url: str, *, source: str, table: str,
            settings: HttpSettings, sleep: Callable[[float], None] = time.sleep,
            before_attempt: Callable[[], None] | None = None, guard: Guard | None = None,
            clock: Callable[[], float] | None = None, **kwargs) -> requests.Response:
    """Send a request with bounded retries under the request's deadline and the run's guard.

    Retried: 429 (honouring a capped Retry-After), 5xx, timeouts, refused connections.
    Raises FetchError when the attempts or the time run out, the host is closed, or the
    server answers with another error status, an oversized body or a cross-host redirect.
    """
    guard = guard or Guard()
    clock = clock or guard.clock
    own_deadline = clock() + settings.deadline
    run_deadline = math.inf if guard.deadline is None else guard.deadline
    deadline = min(own_deadline, run_deadline)
    last, last_status = "no attempt made", None
    for attempt in range(1, settings.attempts + 1):
        refused = guard.check(url)
        if refused:
            raise FetchError(source, table, f"{method} {url} {refused}")
        if before_attempt is not None:  # our own rate limiting does not count against the server
            waited = clock()
            before_attempt()
            own_deadline += clock() - waited
            deadline = min(own_deadline, run_deadline)
        try:
            response = _attempt(session, method, url, settings=settings, deadline=deadline,
                                clock=clock, guard=guard, **kwargs)
        except ValueError as exc:
            raise FetchError(source, table, str(exc)) from exc
        except _Retry as exc:
            last, last_status, wait = exc.why, exc.status, None
            guard.failed(url, exc.why, settings.breaker_failures)
        else:
            if response.status_code < 400:
                guard.succeeded(url)
                return response
            last_status = response.status_code
            if response.status_code not in RETRY_STATUSES:
                raise FetchError(source, table, f"{method} {url} was refused: "
                                 f"{_snippet(response.text)}", response.status_code)
            last = f"{method} {url} failed"
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > settings.retry_after_max:
                guard.failed(url, f"asked to wait {wait:g} s", settings.breaker_failures,
                             at_once=True)
                raise FetchError(source, table, f"the server asks to retry after {wait:g} s, "
                                 f"longer than the {settings.retry_after_max:g} s allowed; "
                                 "not waiting", response.status_code)
            if response.status_code >= 500:
                guard.failed(url, f"HTTP {response.status_code}", settings.breaker_failures)
        if attempt == settings.attempts:
            break
        pause = wait if wait is not None else backoff_delay(attempt, settings)
        if clock() + pause >= run_deadline and run_deadline <= own_deadline:
            guard.expired = True
            last += "; waiting for another attempt would pass the run's deadline"
            break
        if clock() + pause >= deadline:
            last += f"; no time left for another attempt within {settings.deadline:g} s"
            break
        if guard.check(url):
            break
        sleep(pause)
    closed = guard.check(url)
    tail = f"; {closed.removeprefix('not sent: ')}" if closed else ""
    raise FetchError(source, table, f"{last}; gave up after {attempt} attempt"
                     f"{'s' if attempt > 1 else ''}{tail}", last_status)


def parse_json(response: requests.Response, *, source: str, table: str):
    """Return the decoded JSON body, or raise FetchError for HTML pages and truncated bodies."""
    content_type = response.headers.get("Content-Type", "")
    body = response.content
    head = body.lstrip()[:200].lower()
    if "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html")):
        raise FetchError(source, table, f"expected JSON but the server sent an HTML page "
                         f"({content_type or 'no content type'}): {_snippet(response.text)}",
                         response.status_code)
    if not body.strip():
        raise FetchError(source, table, "the server sent an empty body", response.status_code)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FetchError(source, table, f"the response is not valid JSON (truncated or "
                         f"corrupt, {len(body)} bytes): {exc}", response.status_code) from exc


def _snippet(text: str, limit: int = 160) -> str:
    """Return a one-line excerpt of a response body for error messages."""
    flat = " ".join(text.split())
    return flat[:limit] + ("…" if len(flat) > limit else "")
