"""THL Sotkanet REST API 1.1 client and pure parsers (indicator metadata, regions, data)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import requests

from etl import http

DEFAULT_SOTKANET_URL = "https://sotkanet.fi/rest/1.1"
URL_ENV = "TILANNEKUVA_SOTKANET_URL"
SOURCE = "THL Sotkanet"
# Sotkanet refuses the default python-requests agent; name the project and how to reach it.
USER_AGENT = ("Tilannekuva-ETL/0.1 (aluekehityksen tilannekuva; nightly regional indicators; "
              "+https://github.com/tilannekuva)")
CATEGORY_LEVELS = {"MAA": "country", "MAAKUNTA": "region", "SEUTUKUNTA": "subregion",
                   "KUNTA": "municipality"}
UPDATED_KEYS = ("data-updated", "dataUpdated", "updated", "last-updated", "lastUpdated")


class SotkanetError(ValueError):
    """A Sotkanet answer does not have the expected shape."""


def base_url() -> str:
    """Return the Sotkanet REST base: $TILANNEKUVA_SOTKANET_URL or the public one."""
    return (os.environ.get(URL_ENV) or DEFAULT_SOTKANET_URL).rstrip("/")


def official_code(category: str, code) -> str | None:
    """Return Tilannekuva's area code for a Sotkanet region (None for other region kinds)."""
    if category not in CATEGORY_LEVELS or code is None or str(code).strip() == "":
        return None
    if category == "MAA":
        return "SSS"
    try:
        number = int(str(code).strip())
    except ValueError:
        return None
    if category == "MAAKUNTA":
        return f"MK{number:02d}"
    if category == "SEUTUKUNTA":
        return f"SK{number:03d}"
    return f"{number:03d}"


def region_codes(regions) -> dict[int, tuple[str, str | None]]:
    """Map every Sotkanet region id to (category, official area code or None)."""
    if not isinstance(regions, list):
        raise SotkanetError("regions answer is not a JSON list")
    out: dict[int, tuple[str, str | None]] = {}
    for item in regions:
        if not isinstance(item, dict) or "id" not in item:
            raise SotkanetError(f"region entry without id: {str(item)[:80]}")
        category = str(item.get("category", ""))
        out[int(item["id"])] = (category, official_code(category, item.get("code")))
    return out


def indicator_updated(meta: dict) -> str | None:
    """Return the indicator's data-updated stamp from its metadata, if any."""
    for key in UPDATED_KEYS:
        if meta.get(key):
            return str(meta[key])
    return None


def indicator_years(meta: dict) -> tuple[int | None, int | None]:
    """Return the (first, last) year the indicator's metadata says it covers, if stated."""
    rng = meta.get("range") if isinstance(meta.get("range"), dict) else {}
    def as_int(v):
        try:
            return int(v)
        except (TypeError, ValueError):
            return None
    return as_int(rng.get("start")), as_int(rng.get("end"))


def check_indicator(meta, indicator_id: int) -> list[str]:
    """Return problems of an indicator's metadata (wrong id, no title)."""
    if not isinstance(meta, dict):
        return ["indicator metadata is not a JSON object"]
    problems = []
    if str(meta.get("id")) != str(indicator_id):
        problems.append(f"metadata describes indicator {meta.get('id')!r}, not {indicator_id}")
    if not meta.get("title"):
        problems.append("indicator metadata has no title")
    return problems


def parse_data(rows, regions: dict[int, tuple[str, str | None]], *, indicator_id: int,
               gender: str = "total", levels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return (area_code, period, value, flag) from a /json answer; unknown region ids raise.

    Regions of other kinds (hospital districts, AVI, …) are dropped; a null value becomes a
    missing value with flag 'missing', never zero.
    """
    if not isinstance(rows, list):
        raise SotkanetError("data answer is not a JSON list")
    frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(
        columns=["indicator", "region", "year", "gender", "value"])
    needed = {"indicator", "region", "year", "value"}
    if rows and not needed <= set(frame.columns):
        raise SotkanetError(f"data rows lack {sorted(needed - set(frame.columns))}")
    if "gender" in frame.columns:
        frame = frame[frame["gender"].astype(str) == gender]
    frame = frame[frame["indicator"].astype(str) == str(indicator_id)]
    region_ids = pd.to_numeric(frame["region"], errors="coerce")
    unknown = sorted({r for r in frame["region"][~region_ids.isin(list(regions))]}, key=str)
    if unknown:
        raise SotkanetError(f"data has region ids not in the regions list: {unknown[:10]}")
    looked_up = [regions[int(r)] for r in region_ids]
    categories = np.array([c for c, _ in looked_up], dtype=object)
    codes = np.array([code for _, code in looked_up], dtype=object)
    keep = pd.notna(codes)
    if levels is not None:
        wanted = {cat for cat, lvl in CATEGORY_LEVELS.items() if lvl in levels}
        keep &= np.isin(categories, list(wanted))
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(float)
    out = pd.DataFrame({
        "area_code": codes[keep].astype(str) if keep.any() else np.array([], dtype=str),
        "period": pd.to_numeric(frame["year"], errors="coerce").to_numpy()[keep],
        "value": values[keep],
    })
    out["flag"] = np.where(np.isnan(out["value"].to_numpy(float)), "missing", None)
    return out.reset_index(drop=True)


class SotkanetClient:
    """Speaks HTTP to Sotkanet: /indicators/{id}, /regions, /json?indicator=&years=&genders=."""

    def __init__(self, url: str | None = None, *, session: requests.Session | None = None,
                 settings: http.HttpSettings | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 guard: http.Guard | None = None):
        """Create a client with a proper User-Agent; sleep and clock are injectable for tests."""
        self.url = (url or base_url()).rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.settings = settings or http.HttpSettings()
        self.sleep, self.clock = sleep, clock
        self.guard = guard or http.Guard(clock=clock)
        self._regions: dict[int, tuple[str, str | None]] | None = None

    def indicator(self, indicator_id: int) -> dict:
        """Return one indicator's metadata."""
        return self._get(f"{self.url}/indicators/{indicator_id}", table=f"indicator {indicator_id}")

    def regions(self) -> dict[int, tuple[str, str | None]]:
        """Return (and remember) the region id -> (category, official code) map."""
        if self._regions is None:
            body = self._get(f"{self.url}/regions", table="regions")
            try:
                self._regions = region_codes(body)
            except SotkanetError as exc:
                raise http.FetchError(SOURCE, "regions", str(exc)) from exc
        return self._regions

    def data(self, indicator_id: int, years: list[int], gender: str = "total") -> list:
        """Return the raw data rows of one indicator for the given years."""
        params = [("indicator", indicator_id), *[("years", y) for y in years],
                  ("genders", gender)]
        return self._get(f"{self.url}/json", table=f"indicator {indicator_id}", params=params)

    def _get(self, url: str, *, table: str, params=None):
        """GET a JSON document with retries."""
        response = http.request(self.session, "GET", url, source=SOURCE, table=table,
                                settings=self.settings, sleep=self.sleep, guard=self.guard,
                                clock=self.clock, params=params)
        return http.parse_json(response, source=SOURCE, table=table)
