"""Statistics Finland PxWeb API v1 client (after the 8 June 2026 change): limits, rate, retries."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import requests

from etl import http
from etl.jsonstat import JsonStatError, parse_jsonstat
from etl.pxweb_json import PxJsonError, is_px_json, parse_px_json
from etl.pxweb_query import Selection, build_query, split_selection

DEFAULT_PXWEB_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi"
URL_ENV = "TILANNEKUVA_PXWEB_URL"
SOURCE = "Statistics Finland PxWeb"
USER_AGENT = "Tilannekuva-ETL/0.1 (regional development situational picture; python-requests)"


def base_url() -> str:
    """Return the PxWeb API base (language level): $TILANNEKUVA_PXWEB_URL or the public one."""
    return (os.environ.get(URL_ENV) or DEFAULT_PXWEB_URL).rstrip("/")


@dataclass(frozen=True)
class PxWebLimits:
    """The API's own limits from its ?config endpoint."""

    max_cells: int
    max_calls: int
    time_window: float

    @classmethod
    def from_config(cls, config: dict) -> PxWebLimits:
        """Read maxValues/maxCells, maxCalls and timeWindow; raise ValueError when unusable."""
        if not isinstance(config, dict):
            raise ValueError("config is not a JSON object")
        cells = [config[k] for k in ("maxValues", "maxCells") if isinstance(config.get(k), int)]
        calls, window = config.get("maxCalls"), config.get("timeWindow")
        if not cells or not isinstance(calls, int) or not isinstance(window, (int, float)):
            raise ValueError(f"config lacks maxValues/maxCalls/timeWindow: {config}")
        if min(cells) < 1 or calls < 1 or window <= 0:
            raise ValueError(f"config has non-positive limits: {config}")
        return cls(max_cells=min(cells), max_calls=calls, time_window=float(window))


class RateLimiter:
    """Sliding-window limiter: at most max_calls calls in any time_window seconds."""

    def __init__(self, max_calls: int, time_window: float,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        """Create a limiter reading time from `clock` and waiting with `sleep`."""
        self.max_calls, self.time_window = max_calls, time_window
        self.clock, self.sleep = clock, sleep
        self.stamps: deque[float] = deque()

    def acquire(self) -> None:
        """Wait until one more call fits in the window, then record it."""
        while True:
            now = self.clock()
            while self.stamps and now - self.stamps[0] >= self.time_window:
                self.stamps.popleft()
            if len(self.stamps) < self.max_calls:
                self.stamps.append(now)
                return
            self.sleep(self.time_window - (now - self.stamps[0]))


@dataclass
class TableData:
    """A fetched table: the parsed frame and what was asked (for provenance)."""

    frame: pd.DataFrame
    queries: list[dict] = field(default_factory=list)
    updated: str | None = None
    urls: list[str] = field(default_factory=list)


class PxWebClient:
    """Speaks HTTP to one PxWeb v1 API; URLs: {base}/?config, {base}/{db}/{folder}/{id}.px."""

    def __init__(self, url: str | None = None, *, session: requests.Session | None = None,
                 settings: http.HttpSettings | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 guard: http.Guard | None = None):
        """Create a client; clock and sleep are injectable so tests run without waiting.

        guard carries the run's deadline and the per-host circuit breaker (shared with the
        other clients of a run).
        """
        self.url = (url or base_url()).rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.settings = settings or http.HttpSettings()
        self.clock, self.sleep = clock, sleep
        self.guard = guard or http.Guard(clock=clock)
        self._limits: PxWebLimits | None = None
        self.limiter: RateLimiter | None = None
        self._metadata: dict[tuple[str, str], dict] = {}
        self._listings: dict[tuple[str, str], list] = {}

    def limits(self) -> PxWebLimits:
        """Return the API's limits, reading ?config once."""
        if self._limits is None:
            body = self._get(f"{self.url}/?config", table="?config", limited=False)
            try:
                self._limits = PxWebLimits.from_config(body)
            except ValueError as exc:
                raise http.FetchError(SOURCE, "?config", str(exc)) from exc
            self.limiter = RateLimiter(self._limits.max_calls, self._limits.time_window,
                                       self.clock, self.sleep)
        return self._limits

    def table_url(self, database: str, table: str) -> str:
        """Return the URL of a table, e.g. {base}/StatFin/vaerak/11ra.px."""
        return f"{self.url}/{database.strip('/')}/{table.strip('/')}"

    def metadata(self, database: str, table: str) -> dict:
        """Return the table's metadata ({title, variables: [{code, text, values, ...}]}), once."""
        key = (database, table)
        if key not in self._metadata:
            self.limits()
            body = self._get(self.table_url(database, table), table=table)
            if not isinstance(body, dict) or not isinstance(body.get("variables"), list):
                raise http.FetchError(SOURCE, table, "metadata has no 'variables' list")
            self._metadata[key] = body
        return self._metadata[key]

    def table_updated(self, database: str, table: str) -> str | None:
        """Return the table's 'updated' stamp from its folder listing (None if not listed)."""
        folder, _, name = table.strip("/").rpartition("/")
        key = (database, folder)
        if key not in self._listings:
            self.limits()
            listing = self._get(self.table_url(database, folder), table=table)
            if not isinstance(listing, list):
                raise http.FetchError(SOURCE, table, "folder listing is not a JSON list")
            self._listings[key] = listing
        for item in self._listings[key]:
            if isinstance(item, dict) and str(item.get("id")) in (name, name.removesuffix(".px")):
                updated = item.get("updated")
                return str(updated) if updated is not None else None
        return None

    def fetch(self, database: str, table: str, selection: Selection, contents: str,
              keep_whole: tuple[str, ...] = ()) -> TableData:
        """POST the selection (split under the cell limit) and return the parsed cells.

        The API is asked for its own `json` export (the format the recorded responses have);
        a JSON-stat 2.0 answer is read too. `contents` is the content variable's code, which
        names the content column of the cells.
        """
        limits = self.limits()
        frames, queries, urls, updated = [], [], [], None
        for part in split_selection(selection, limits.max_cells, keep_whole):
            query = build_query(part)
            body, url = self._post(self.table_url(database, table), query, table=table)
            frame = parse_answer(body, contents, table)
            frames.append(frame)
            queries.append(query)
            urls.append(url)
            updated = updated or frame.attrs.get("updated")
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for col in frame.columns:
            if col not in ("value", "flag"):
                frame[col] = frame[col].astype(str)
        return TableData(frame=frame, queries=queries, updated=updated, urls=urls)

    def _acquire(self) -> None:
        """Wait for the rate limiter before each attempt."""
        if self.limiter is not None:
            self.limiter.acquire()

    def _get(self, url: str, *, table: str, limited: bool = True):
        """GET a JSON document."""
        response = http.request(self.session, "GET", url, source=SOURCE, table=table,
                                settings=self.settings, sleep=self.sleep, guard=self.guard,
                                clock=self.clock,
                                before_attempt=self._acquire if limited else None)
        return http.parse_json(response, source=SOURCE, table=table)

    def _post(self, url: str, query: dict, *, table: str):
        """POST a query and return (the JSON answer, the URL actually read)."""
        response = http.request(self.session, "POST", url, source=SOURCE, table=table,
                                settings=self.settings, sleep=self.sleep, guard=self.guard,
                                clock=self.clock, before_attempt=self._acquire, json=query)
        return http.parse_json(response, source=SOURCE, table=table), response.url


def parse_answer(body, contents: str, table: str) -> pd.DataFrame:
    """Return tidy cells from a PxWeb `json` export or a JSON-stat 2.0 dataset."""
    try:
        if is_px_json(body):
            return parse_px_json(body, contents)
        return parse_jsonstat(body)
    except (PxJsonError, JsonStatError) as exc:
        raise http.FetchError(SOURCE, table, f"the answer is not a usable PxWeb json or "
                              f"JSON-stat2 dataset: {exc}") from exc
