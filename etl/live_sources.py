"""Turn the catalog's [indicator.live] blocks into fetch specs and shape their observations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.live_derive import area_level, period_of, pxweb_area_code  # noqa: F401 - re-exported
from etl.values import stored
from indicators.catalog import load_catalog
from indicators.monthly import load_series

ALL_LEVELS = ("country", "region", "subregion", "municipality")
DEFAULT_SINCE = 2000


class SourceError(ValueError):
    """A live source's definition does not match what the API offers."""


@dataclass(frozen=True)
class LiveSpec:
    """One indicator's live source, as declared in the catalog."""

    indicator_id: str
    kind: str
    live: dict
    valid_range: tuple[float, float]
    publisher: str = ""
    licence: str = "CC BY 4.0"
    levels: tuple[str, ...] = field(default=ALL_LEVELS)

    @property
    def source_id(self) -> str:
        """Return the sources-table id of this live source."""
        return f"live:{self.indicator_id}"

    @property
    def table_id(self) -> str:
        """Return a readable table id: StatFin/vaerak/11ra.px or sotkanet:3099."""
        if self.kind == "pxweb":
            return f"{self.live['database']}/{self.live['table']}"
        if self.kind == "sotkanet":
            return f"sotkanet:{self.live['indicator']}"
        return "none"

    @property
    def since(self) -> int:
        """Return the first year to fetch."""
        return int(self.live.get("since", DEFAULT_SINCE))

    @property
    def scale(self) -> float:
        """Return the multiplier applied to the published value or ratio."""
        return float(self.live.get("scale", 1))

    @property
    def derive(self) -> str:
        """Return the derivation: value, ratio, published_or_ratio, change_pct, annual_ratio."""
        if "series" in self.live:
            return "annual_ratio"
        return str(self.live.get("derive", "ratio" if "denominator" in self.live else "value"))

    @property
    def roles(self) -> dict[str, str | None]:
        """Return the value references per role; None means "the table's only content".

        With `denominator_table` the denominator comes from that table, not this one.
        """
        live, how = self.live, self.derive
        roles: dict[str, str | None] = {}
        if how in ("value", "change_pct", "published_or_ratio"):
            roles["value"] = live.get("value")
        if how in ("ratio", "published_or_ratio"):
            if how == "ratio":
                roles["numerator"] = live.get("numerator", live.get("value"))
            else:
                roles["numerator"] = live["numerator"]
            if "denominator_table" not in live:
                roles["denominator"] = live["denominator"]
        return roles

    @property
    def series(self) -> dict[str, str]:
        """Return the monthly series an annual_ratio uses: {'numerator': id, 'denominator': id}."""
        return dict(self.live.get("series", {}))

    @property
    def max_factor(self) -> float:
        """Return the largest plausible jump (×/÷) against published figures (default 10)."""
        return float(self.live.get("max_factor", 10))

    @property
    def rollup(self) -> bool:
        """Return True when areas the table lacks are summed from today's municipalities."""
        return bool(self.live.get("rollup", False))


def specs_from_catalog(entries: tuple[dict, ...] | None = None,
                       only: list[str] | None = None) -> list[LiveSpec]:
    """Return the live specs of the catalog (optionally only some ids); raise on unknown ids."""
    entries = entries if entries is not None else load_catalog()
    by_id = {e["id"]: e for e in entries if "live" in e}
    if only:
        unknown = [i for i in only if i not in by_id and i.removeprefix("live:") not in by_id]
        if unknown:
            raise SourceError(f"no live source for {unknown}; known: {', '.join(sorted(by_id))}")
        wanted = {i.removeprefix("live:") for i in only}
        by_id = {k: v for k, v in by_id.items() if k in wanted}
    specs = []
    for ident, entry in by_id.items():
        live = dict(entry["live"])
        specs.append(LiveSpec(
            indicator_id=ident, kind=live["kind"], live=live,
            valid_range=(float(entry["valid_range"][0]), float(entry["valid_range"][1])),
            publisher=entry["source"]["publisher"], licence=entry["source"]["licence"],
            levels=tuple(live.get("levels", ALL_LEVELS))))
    return specs


def monthly_series_codes(table: str) -> dict[str, str]:
    """Return {series id: content code} of the monthly series kept from one table."""
    return {s["id"]: s["code"] for s in load_series() if s["table"] == table}


def _normal(text: str) -> str:
    """Return text casefolded, with dashes unified and whitespace collapsed."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text)).casefold()
    return " ".join(text.replace(" - ", "-").split())


def title_problem(titles, expected: str | None) -> str | None:
    """Return a problem when none of the titles contains the expected text (None if fine)."""
    if not expected:
        return None
    texts = list(titles.values()) if isinstance(titles, dict) else [titles]
    if any(_normal(expected) in _normal(t) for t in texts if t):
        return None
    shown = next((t for t in texts if t), "")
    return (f"the title '{shown}' does not contain '{expected}' (wrong id?); "
            "check the id in indicators/catalog.toml")


def to_observations(derived: pd.DataFrame, spec: LiveSpec) -> pd.DataFrame:
    """Return warehouse rows (indicator_id, area_code, period, value, flag, source_id)."""
    keep = derived["area_code"].astype(str).map(area_level).isin(spec.levels).to_numpy()
    derived = derived[keep]
    return pd.DataFrame({
        "indicator_id": spec.indicator_id,
        "area_code": derived["area_code"].astype(str).to_numpy(),
        "period": derived["period"].astype("int64").to_numpy(),
        "value": stored(derived["value"].to_numpy(float)),
        "flag": pd.Series(derived["flag"].to_numpy(object), dtype=object),
        "source_id": spec.source_id,
    })


def sotkanet_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a Sotkanet (area_code, period, value, flag) frame in the wide shape of derive()."""
    out = frame.rename(columns={"flag": "value_flag"}).copy()
    out["value_flag"] = np.where(out["value"].isna() & out["value_flag"].isna(), "missing",
                                 out["value_flag"])
    return out
