"""Shared HTTP helper for the API clients: timeouts, retries with backoff, clear errors."""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpSettings:
    """How patient a client is: per-request timeout, attempts and backoff (seconds)."""

    timeout: float = 60.0
    attempts: int = 5
    backoff: float = 2.0
    backoff_max: float = 120.0
    retry_after_max: float = 600.0


def settings_from_env(environ=None) -> HttpSettings:
    """Return settings overridden by TILANNEKUVA_HTTP_TIMEOUT / _ATTEMPTS / _BACKOFF if set."""
    env = os.environ if environ is None else environ
    base = HttpSettings()
    try:
        return HttpSettings(
            timeout=float(env.get("TILANNEKUVA_HTTP_TIMEOUT") or base.timeout),
            attempts=max(1, int(env.get("TILANNEKUVA_HTTP_ATTEMPTS") or base.attempts)),
            backoff=float(env.get("TILANNEKUVA_HTTP_BACKOFF") or base.backoff))
    except ValueError as exc:
        raise ValueError(f"bad TILANNEKUVA_HTTP_* setting: {exc}") from exc


class FetchError(RuntimeError):
    """A request failed for good; the message names the source, the table and the HTTP status."""

    def __init__(self, source: str, table: str, message: str, status: int | None = None):
        """Record where it failed and build the message."""
        self.source, self.table, self.status = source, table, status
        where = f"{source} {table}".strip()
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"{where}: {message}{status_text}")


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


def request(session: requests.Session, method: str, url: str, *, source: str, table: str,
            settings: HttpSettings, sleep: Callable[[float], None] = time.sleep,
            before_attempt: Callable[[], None] | None = None, **kwargs) -> requests.Response:
    """Send a request, retrying 429 (honouring Retry-After), 5xx, timeouts and refused connections.

    Raises FetchError when the attempts run out or the server answers with another error status.
    """
    last: str = "no attempt made"
    last_status: int | None = None
    for attempt in range(1, settings.attempts + 1):
        if before_attempt is not None:
            before_attempt()
        try:
            response = session.request(method, url, timeout=settings.timeout, **kwargs)
        except requests.Timeout:
            last, last_status, wait = f"timed out after {settings.timeout:g} s", None, None
        except requests.ConnectionError as exc:
            last, last_status, wait = f"cannot connect to {url} ({type(exc).__name__})", None, None
        else:
            if response.status_code < 400:
                return response
            last_status = response.status_code
            if response.status_code not in RETRY_STATUSES:
                raise FetchError(source, table, f"{method} {url} was refused: "
                                 f"{_snippet(response.text)}", response.status_code)
            last = f"{method} {url} failed"
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > settings.retry_after_max:
                raise FetchError(source, table, f"server asks to retry after {wait:g} s, "
                                 f"longer than the {settings.retry_after_max:g} s allowed",
                                 response.status_code)
        if attempt == settings.attempts:
            break
        sleep(wait if wait is not None else backoff_delay(attempt, settings))
    raise FetchError(source, table, f"{last}; gave up after {settings.attempts} attempts",
                     last_status)


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
