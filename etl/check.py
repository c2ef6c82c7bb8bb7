"""`python -m etl check`: the operator's preflight. Metadata only, one line per indicator.

It reads the PxWeb `?config`, each table's metadata and each Sotkanet indicator's metadata (no
data), resolves every code the catalog names the way a run would, and says what a run would
do. It never writes the warehouse; it exits non-zero when anything is unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from etl import http
from etl.fetcher import Fetcher
from etl.live_derive import month_of, period_of
from etl.live_sources import (
    LiveSpec,
    SourceError,
    monthly_series_codes,
    specs_from_catalog,
    title_problem,
)
from etl.pxweb_plan import TableRequest, plan_table
from etl.sotkanet import check_indicator, indicator_updated, indicator_years
from warehouse import build

STATUS_WIDTH = 5
CHECK_DEADLINE = 120.0  # seconds: the preflight gives up sending after this


@dataclass(frozen=True)
class CheckLine:
    """The preflight verdict of one indicator."""

    indicator_id: str
    status: str  # ok | FAIL | none
    text: str

    def render(self) -> str:
        """Return the printed line."""
        return f"{self.status:<{STATUS_WIDTH}} {self.indicator_id}: {self.text}"


def newest_stored(previous: dict[str, pd.DataFrame], indicator_id: str) -> int | None:
    """Return the newest period the warehouse (or the bundled snapshot) has for an indicator."""
    obs = previous["observations"]
    if not len(obs):
        return None
    periods = obs.loc[(obs["indicator_id"] == indicator_id) & obs["value"].notna(), "period"]
    return int(periods.max()) if len(periods) else None


def _would(offered: int | None, stored: int | None, first: int | None) -> str:
    """Return what a run would do, from the newest offered and stored years."""
    if offered is None:
        return "a run would load nothing (no year in range)"
    span = f"{first}–{offered}" if first is not None and first != offered else f"{offered}"
    if stored is None:
        return f"a run would load {span} (nothing stored yet)"
    if offered > stored:
        return f"a run would load {span}, moving the newest year from {stored} to {offered}"
    return f"a run would reload {span}; the newest year stays {stored}"


class Preflight:
    """Resolves each spec against metadata only, with the run's own clients and planning."""

    def __init__(self, fetcher: Fetcher, previous: dict[str, pd.DataFrame], latest_year: int):
        """Keep the run's fetcher (its clients cache metadata) and the stored tables."""
        self.fetcher, self.previous, self.latest = fetcher, previous, latest_year

    def line(self, spec: LiveSpec) -> CheckLine:
        """Return the verdict of one spec; expected faults become a FAIL line."""
        ident = spec.indicator_id
        if spec.kind == "none":
            return CheckLine(ident, "none", f"no live source: {spec.live.get('note', '')}")
        try:
            if spec.kind == "sotkanet":
                text = self._sotkanet(spec)
            elif spec.derive == "annual_ratio":
                text = self._monthly(spec)
            else:
                text = self._pxweb(spec)
        except (http.FetchError, SourceError) as exc:
            return CheckLine(ident, "FAIL", str(exc))
        return CheckLine(ident, "ok", text)

    def _resolve(self, request: TableRequest, metadata: dict) -> str:
        """Resolve one request alone; return what it resolved to, or raise SourceError."""
        plan = plan_table([request], metadata, self.fetcher.known_areas, self.latest)
        if request.key in plan.failures:
            raise SourceError(plan.failures[request.key])
        return plan.resolved[request.key].describe()

    def _pxweb(self, spec: LiveSpec) -> str:
        """Check a yearly PxWeb indicator (and its denominator's table)."""
        live = spec.live
        request = self.fetcher.request_for(spec)
        metadata = self.fetcher.pxweb.metadata(live["database"], live["table"])
        problem = title_problem(str(metadata.get("title", "")), live.get("title_contains"))
        if problem:
            raise SourceError(f"{spec.table_id}: {problem}")
        parts = [f"{spec.table_id} found; {self._resolve(request, metadata)}"]
        if "denominator_table" in live:
            den = self.fetcher.denominator_request(spec)
            den_meta = self.fetcher.pxweb.metadata(live["database"], live["denominator_table"])
            parts.append(f"denominator {den.table_id}: {self._resolve(den, den_meta)}")
        years = [y for v in _time_values(metadata) if (y := period_of(v)) is not None
                 and spec.since <= y <= self.latest]
        offered = max(years) if years else None
        if spec.derive == "change_pct" and years and not self._has_base(spec, years):
            raise SourceError(f"{spec.table_id}: offers only {sorted(years)[:3]} and no "
                              "previous year to compute a change from (nor does the stored "
                              f"'{live.get('previous_from', spec.indicator_id)}' series)")
        stored = newest_stored(self.previous, spec.indicator_id)
        newest = f"newest {offered} offered (stored {stored if stored is not None else 'none'})"
        return "; ".join(parts) + f"; {newest}: " + _would(offered, stored,
                                                            min(years) if years else None)

    def _has_base(self, spec: LiveSpec, years: list[int]) -> bool:
        """Return True when some offered year has a previous year (offered or stored)."""
        offered = set(years)
        obs = self.previous["observations"]
        base = spec.live.get("previous_from")
        stored = set(obs.loc[obs["indicator_id"] == base, "period"]) if base and len(obs) \
            else set()
        return any(y - 1 in offered or y - 1 in stored for y in offered)

    def _monthly(self, spec: LiveSpec) -> str:
        """Check an annual indicator of monthly series: every series code and the months."""
        live = spec.live
        series = monthly_series_codes(live["table"])
        request = TableRequest(f"monthly:{spec.indicator_id}", live["database"], live["table"],
                               tuple(series.items()), since=spec.since)
        metadata = self.fetcher.pxweb.metadata(live["database"], live["table"])
        resolved = self._resolve(request, metadata)
        months = sorted(m for v in _time_values(metadata) if (m := month_of(v)))
        if not months:
            raise SourceError(f"{spec.table_id}: the time variable offers no months")
        per_year = pd.Series([m[:4] for m in months]).value_counts()
        complete = sorted(int(y) for y, n in per_year.items() if n == 12)
        stored = newest_stored(self.previous, spec.indicator_id)
        newest_year = int(months[-1][:4])
        return (f"{spec.table_id} found (monthly series {', '.join(series)}); {resolved}; "
                f"newest month {months[-1]}, newest complete year "
                f"{complete[-1] if complete else 'none'} (stored {stored}): "
                + _would(newest_year, stored, None)
                + (f" ({newest_year} flagged partial: fewer than 12 months)"
                   if newest_year not in complete else ""))

    def _sotkanet(self, spec: LiveSpec) -> str:
        """Check a Sotkanet indicator's metadata: id, title, data-updated, years."""
        ident = int(spec.live["indicator"])
        meta = self.fetcher.sotkanet.indicator(ident)
        problems = check_indicator(meta, ident)
        title = meta.get("title", {}) if isinstance(meta, dict) else {}
        problem = title_problem(title, spec.live.get("title_contains"))
        if problem:
            problems.append(problem)
        if problems:
            raise SourceError(f"sotkanet indicator {ident}: " + "; ".join(problems))
        first, last = indicator_years(meta)
        updated = indicator_updated(meta)
        shown = title.get("fi") if isinstance(title, dict) else str(title)
        stored = newest_stored(self.previous, spec.indicator_id)
        top = min(last, self.latest) if last else None
        return (f"sotkanet:{ident} '{shown}' found; data-updated {updated or 'not stated'}; "
                f"years {first}–{last} (stored {stored}): "
                + _would(top, stored, max(first or spec.since, spec.since)))


def _time_values(metadata: dict) -> list[str]:
    """Return the values of the variable flagged as time (or timeperiod_*)."""
    for var in metadata.get("variables", []):
        if var.get("time") or str(var.get("code", "")).startswith("timeperiod_"):
            return [str(v) for v in var.get("values", [])]
    return []


def run_check(options, out=print) -> int:
    """Print one line per indicator and a summary; return 0 when everything resolved."""
    from etl.run import make_fetcher  # local: run imports this module's siblings

    try:
        specs = specs_from_catalog(only=options.only)
    except SourceError as exc:
        out(f"etl check not started: {exc}")
        return 2
    db_path = Path(options.db_path)
    try:
        previous = build.last_good(db_path, options.snapshot_dir)
    except Exception as exc:  # noqa: BLE001 - an unreadable warehouse is reported, not raised
        out(f"etl check: cannot read the stored figures of {db_path}: {exc}")
        previous = {"observations": pd.DataFrame(), "sources": pd.DataFrame()}
    options = replace(options, run_deadline=min(options.run_deadline, CHECK_DEADLINE))
    fetcher = make_fetcher(options, previous, specs)
    latest = options.rules.latest_year()
    preflight = Preflight(fetcher, previous, latest)
    lines = []
    for spec in specs:
        line = preflight.line(spec)
        lines.append(line)
        out(line.render())
    failed = sum(line.status == "FAIL" for line in lines)
    none = sum(line.status == "none" for line in lines)
    out(f"etl check: {len(lines) - failed - none} resolved, {failed} unresolved, {none} without "
        f"a live source (of {len(lines)}); nothing was written")
    return 1 if failed else 0
