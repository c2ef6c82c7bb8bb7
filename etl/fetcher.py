"""Fetch one live source: resolve its codes from metadata, fetch, derive, check, stage.

Tables are fetched once per run for all indicators that read them (one union query per
table shape); metadata and folder listings are read once. Nothing here publishes.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from etl import http
from etl.jsonstat import JsonStatError
from etl.live_derive import DeriveError, derive, monthly_rows, municipal_parents, wide_by_role
from etl.live_sources import (
    LiveSpec,
    SourceError,
    monthly_series_codes,
    sotkanet_wide,
    title_problem,
    to_observations,
)
from etl.merge import MONTHLY_KEY, describe_revisions, replace_monthly, revisions
from etl.monthly import MIN_PARTIAL_MONTHS, annual_ratio
from etl.pxweb import PxWebClient, TableData
from etl.pxweb_plan import TablePlan, TableRequest, plan_table
from etl.sotkanet import SotkanetClient, SotkanetError, check_indicator, indicator_updated
from etl.sotkanet import indicator_years as sotkanet_years
from etl.sotkanet import parse_data as parse_sotkanet
from etl.validate import (
    Rules,
    monthly_unit_change,
    plausibility_problems,
    validate_monthly,
    validate_observations,
)

EXPECTED_ERRORS = (http.FetchError, SourceError, SotkanetError, JsonStatError, DeriveError)


class NothingNew(Exception):
    """The source answered, but it holds no new figure for this indicator yet (not a fault)."""
SOTKANET_YEARS_PER_CALL = 10
MONTHLY_SINCE = 2006
PUBLISHERS = {"pxweb": "Tilastokeskus (Statistics Finland)", "sotkanet": "THL / Sotkanet"}


def now() -> datetime:
    """Return the current UTC time (naive, for TIMESTAMP columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


def monthly_source_id(database: str, table: str) -> str:
    """Return the source id of a monthly table's load, e.g. live:monthly:StatFin/tyonv/12r5.px."""
    return f"live:monthly:{database}/{table}"


@dataclass
class SourceResult:
    """What happened to one source in a run."""

    source_id: str
    status: str  # ok | unchanged | failed | skipped
    started_at: datetime
    finished_at: datetime
    rows: int = 0
    message: str = ""
    observations: pd.DataFrame | None = None
    monthly: pd.DataFrame | None = None
    source_row: dict | None = None
    revised: pd.DataFrame | None = None


@dataclass
class Fetched:
    """The outcome of fetching one table shape: the plan and the cells, or why it failed."""

    plan: TablePlan
    data: TableData | None = None
    error: str = ""


@dataclass
class FetchContext:
    """What a fetcher needs from the run: options, last good tables, today's areas."""

    rules: Rules
    force: bool
    previous: dict[str, pd.DataFrame]
    areas: pd.DataFrame
    specs: list[LiveSpec]
    out: Callable[[str], None] = print
    extra: list[SourceResult] = field(default_factory=list)


class Fetcher:
    """Fetches specs through the API clients; caches listings, metadata and table answers."""

    def __init__(self, context: FetchContext, pxweb: PxWebClient, sotkanet: SotkanetClient):
        """Keep the clients and the run's context."""
        self.ctx = context
        self.pxweb, self.sotkanet = pxweb, sotkanet
        self.known_areas = set(context.areas["code"])
        self.parents = municipal_parents(context.areas)
        self._fetched: dict[tuple, Fetched] = {}
        self._monthly: dict[tuple[str, str], SourceResult] = {}

    # ----- helpers ----------------------------------------------------------------------
    def previous_source(self, source_id: str, table: str = "observations"
                        ) -> tuple[dict | None, int]:
        """Return the last good sources row of a source and how many rows it loaded."""
        sources, rows = self.ctx.previous["sources"], self.ctx.previous.get(table)
        row = None
        if len(sources) and source_id in set(sources["source_id"]):
            row = sources[sources["source_id"] == source_id].iloc[0].to_dict()
        count = int((rows["source_id"] == source_id).sum()) if rows is not None and len(rows) \
            else 0
        return row, count

    def _unchanged(self, previous_row: dict | None, previous_rows: int,
                   updated: str | None) -> bool:
        """Return True when the table's stamp equals the last good load's (and not --force)."""
        return bool(not self.ctx.force and previous_row and previous_rows and updated
                    and str(previous_row.get("updated")) == str(updated))

    def request_for(self, spec: LiveSpec) -> TableRequest:
        """Return what an indicator needs from its own table."""
        live = spec.live
        select = tuple((s["variable"], s["value"]) for s in live.get("select", []))
        return TableRequest(spec.indicator_id, live["database"], live["table"],
                            tuple(spec.roles.items()), live.get("by"), live.get("content"),
                            select, spec.since, spec.levels)

    def denominator_request(self, spec: LiveSpec) -> TableRequest:
        """Return what an indicator needs from its denominator's table."""
        live = spec.live
        return TableRequest(f"{spec.indicator_id}:denominator", live["database"],
                            live["denominator_table"], (("denominator", live["denominator"]),),
                            since=spec.since, levels=spec.levels)

    def _requests_like(self, request: TableRequest) -> list[TableRequest]:
        """Return every request of this run with the same table shape (fetched together)."""
        out = {request.key: request}
        for spec in self.ctx.specs:
            if spec.kind != "pxweb" or spec.derive == "annual_ratio":
                continue
            for req in (self.request_for(spec),) + ((self.denominator_request(spec),)
                                                  if "denominator_table" in spec.live else ()):
                if req.shape == request.shape:
                    out.setdefault(req.key, req)
        return list(out.values())

    def _fetch_shape(self, request: TableRequest) -> Fetched:
        """Resolve and fetch (once) the union of every request of this table shape."""
        if request.shape in self._fetched:
            return self._fetched[request.shape]
        try:
            metadata = self.pxweb.metadata(request.database, request.table)
        except http.FetchError as exc:
            fetched = Fetched(TablePlan(), error=str(exc))
        else:
            plan = plan_table(self._requests_like(request), metadata, self.known_areas,
                              self.ctx.rules.latest_year())
            fetched = Fetched(plan)
            if plan.resolved:
                try:
                    fetched.data = self.pxweb.fetch(request.database, request.table,
                                                    plan.selection, plan.contents)
                except http.FetchError as exc:
                    fetched.error = str(exc)
        self._fetched[request.shape] = fetched
        return fetched

    def _cells(self, request: TableRequest, frequency: str | None = None
               ) -> tuple[pd.DataFrame, list[str], Fetched]:
        """Return the wide frame of one request (area_code, period, roles…) and notes."""
        fetched = self._fetch_shape(request)
        if request.key in fetched.plan.failures:
            raise SourceError(fetched.plan.failures[request.key])
        if fetched.error:
            raise SourceError(fetched.error)
        resolved = fetched.plan.resolved[request.key]
        roles = {r: c for r, c in resolved.roles.items() if r != "content"}
        cells = fetched.data.frame
        if resolved.role_variable != resolved.contents.code:
            cells = cells[cells[resolved.contents.code] == resolved.roles["content"]]
        for var, code in resolved.select.items():
            if var in cells.columns:
                cells = cells[cells[var] == code]
        if frequency is None and resolved.frequency != "year":
            raise SourceError(f"{request.table_id}: the time variable '{resolved.time.code}' "
                              f"is {resolved.frequency}ly; this indicator needs years")
        wide, notes = wide_by_role(cells, area_var=resolved.area.code,
                                   time_var=resolved.time.code,
                                   role_var=resolved.role_variable, roles=roles,
                                   frequency=frequency or resolved.frequency,
                                   known_areas=self.known_areas)
        if request.since and "period" in wide and frequency is None:
            wide = wide[wide["period"] >= request.since]
        return wide, notes, fetched

    # ----- entry point ------------------------------------------------------------------
    def fetch(self, spec: LiveSpec) -> SourceResult:
        """Fetch, shape and validate one source; never raises for expected faults."""
        started = now()
        if spec.kind == "none":
            return SourceResult(spec.source_id, "skipped", started, now(),
                                message=f"no live source: {spec.live.get('note', '')}")
        previous_row, previous_rows = self.previous_source(spec.source_id)
        redirects_seen = len(self.pxweb.guard.redirects)
        try:
            if spec.kind == "sotkanet":
                staged = self._sotkanet(spec, previous_row, previous_rows)
            elif spec.derive == "annual_ratio":
                staged = self._annual(spec, previous_row, previous_rows)
            else:
                staged = self._pxweb(spec, previous_row, previous_rows)
        except NothingNew as exc:
            return SourceResult(spec.source_id, "unchanged", started, now(), rows=previous_rows,
                                message=str(exc))
        except EXPECTED_ERRORS as exc:
            return SourceResult(spec.source_id, "failed", started, now(), message=str(exc))
        except Exception as exc:  # noqa: BLE001 - one odd source must not stop the run
            detail = "".join(traceback.format_exception_only(exc)).strip()
            return SourceResult(spec.source_id, "failed", started, now(),
                                message=f"unexpected error: {detail}")
        if staged is None:
            return SourceResult(spec.source_id, "unchanged", started, now(), rows=previous_rows,
                                message=f"table not updated since {previous_row['updated']}")
        observations, source_row, notes = staged
        notes = [*notes, *(f"followed a redirect: {old} → {new}"
                           for old, new in self.pxweb.guard.redirects[redirects_seen:])]
        problems = validate_observations(
            observations, valid_range=spec.valid_range, known_areas=self.known_areas,
            previous_rows=previous_rows or None, force=self.ctx.force, rules=self.ctx.rules)
        if problems:
            return SourceResult(spec.source_id, "failed", started, now(),
                                message=f"{spec.table_id}: " + "; ".join(problems))
        stored = self.ctx.previous["observations"]
        doubts = plausibility_problems(
            observations, stored[stored["indicator_id"] == spec.indicator_id] if len(stored)
            else stored, known_areas=self.known_areas, levels=spec.levels,
            max_factor=spec.max_factor)
        if doubts and not self.ctx.force:
            return SourceResult(spec.source_id, "failed", started, now(),
                                message=f"{spec.table_id}: implausible, not published: "
                                        + "; ".join(doubts)
                                        + "; rerun with --force to publish it flagged")
        if doubts:
            flag = "published with --force although: " + "; ".join(doubts)
            notes = [*notes, flag]
            source_row = dict(source_row, derivation=f"{source_row['derivation']} [{flag}]")
        revised = revisions(self.ctx.previous["observations"], observations)
        notes = [*notes, describe_revisions(revised)]
        return SourceResult(spec.source_id, "ok", started, now(), rows=len(observations),
                            message="; ".join(n for n in dict.fromkeys(notes) if n),
                            observations=observations, source_row=source_row, revised=revised)

    # ----- PxWeb ------------------------------------------------------------------------
    def _pxweb(self, spec: LiveSpec, previous_row, previous_rows):
        """Fetch a yearly PxWeb indicator: listing stamp, resolution, union fetch, derive."""
        live = spec.live
        database, table = live["database"], live["table"]
        listed = self.pxweb.table_updated(database, table)
        if self._unchanged(previous_row, previous_rows, listed):
            return None
        title = str(self.pxweb.metadata(database, table).get("title", ""))
        problem = title_problem(title, live.get("title_contains"))
        if problem:
            raise SourceError(f"{spec.table_id}: {problem}")
        wide, notes, fetched = self._cells(self.request_for(spec))
        queries, urls = list(fetched.data.queries), list(fetched.data.urls)
        if "denominator_table" in live:
            den, den_notes, den_fetched = self._cells(self.denominator_request(spec))
            wide = wide.merge(den, on=["area_code", "period"], how="inner")
            notes += den_notes
            queries += den_fetched.data.queries
            urls += den_fetched.data.urls
        previous = None
        if spec.derive == "change_pct" and live.get("previous_from"):
            obs = self.ctx.previous["observations"]
            previous = obs[obs["indicator_id"] == live["previous_from"]] if len(obs) else None
        derived = derive(wide, spec.derive, spec.scale,
                         parents=self.parents if spec.rollup else None, previous=previous)
        if derived.empty and spec.derive == "change_pct" and len(wide):
            years = sorted(set(wide["period"]))
            raise SourceError(
                f"{spec.table_id}: the answer has only the years {years[:3]}"
                f"{'…' if len(years) > 3 else ''} and no previous year to compare with (in the "
                "answer" + (f" or in the stored '{live['previous_from']}' series"
                            if live.get("previous_from") else "") + ")")
        observations = to_observations(derived, spec)
        source_row = self._source_row(spec, title=title, origin=urls[0] if urls else
                                      self.pxweb.table_url(database, table),
                                      query=json.dumps(queries, ensure_ascii=False),
                                      updated=listed or fetched.data.updated)
        return observations, source_row, notes

    def monthly(self, database: str, table: str, since: int) -> SourceResult:
        """Fetch (once per run) the monthly series of one table into monthly_observations."""
        key = (database, table)
        if key in self._monthly:
            return self._monthly[key]
        started = now()
        source_id = monthly_source_id(database, table)
        series = monthly_series_codes(table)
        previous_row, previous_rows = self.previous_source(source_id, "monthly_observations")
        try:
            listed = self.pxweb.table_updated(database, table)
            if self._unchanged(previous_row, previous_rows, listed):
                result = SourceResult(source_id, "unchanged", started, now(), rows=previous_rows,
                                      message=f"table not updated since {previous_row['updated']}")
            else:
                request = TableRequest(source_id, database, table, tuple(series.items()),
                                       since=since)
                wide, notes, fetched = self._cells(request, frequency="month")
                rows = _monthly_from_wide(wide, series, source_id)
                problems = validate_monthly(rows, self.known_areas)
                stored = self.ctx.previous.get("monthly_observations", pd.DataFrame())
                doubts = monthly_unit_change(rows, stored)
                if doubts and not self.ctx.force:
                    problems += [f"implausible, not published: {d}; rerun with --force to "
                                 "publish it" for d in doubts]
                if problems:
                    raise SourceError(f"{database}/{table}: " + "; ".join(problems))
                notes = [*notes, *(f"published with --force although: {d}" for d in doubts)]
                row = self._source_row_monthly(database, table, fetched, listed, series)
                revised = revisions(self.ctx.previous.get("monthly_observations",
                                                          pd.DataFrame()), rows, MONTHLY_KEY)
                notes = [*notes, describe_revisions(revised)]
                result = SourceResult(source_id, "ok", started, now(), rows=len(rows),
                                      message="; ".join(n for n in dict.fromkeys(notes) if n),
                                      monthly=rows, source_row=row, revised=revised)
        except EXPECTED_ERRORS as exc:
            result = SourceResult(source_id, "failed", started, now(), message=str(exc))
        self._monthly[key] = result
        self.ctx.extra.append(result)
        return result

    def _annual(self, spec: LiveSpec, previous_row, previous_rows):
        """Derive an annual indicator from monthly series (complete years unflagged)."""
        live = spec.live
        load = self.monthly(live["database"], live["table"], max(spec.since, MONTHLY_SINCE))
        if load.status == "failed":
            raise SourceError(f"monthly series of {live['database']}/{live['table']}: "
                              f"{load.message}")
        if load.status == "unchanged" and previous_rows and not self.ctx.force:
            return None
        stored = self.ctx.previous.get("monthly_observations", pd.DataFrame())
        if load.monthly is not None:
            fetched_months = load.monthly
        elif len(stored):  # unchanged table, indicator not derived yet: use the stored load
            fetched_months = stored[stored["source_id"] == load.source_id]
        else:
            fetched_months = pd.DataFrame(columns=MONTHLY_KEY)
        merged = replace_monthly(stored, fetched_months, load.source_id) if len(stored) \
            else fetched_months
        num, den = spec.series["numerator"], spec.series["denominator"]
        annual = annual_ratio(merged, num, den, scale=spec.scale)
        years = {int(m[:4]) for m in fetched_months["month"]} if len(fetched_months) else set()
        annual = annual[annual["period"].isin(years) & (annual["period"] >= spec.since)]
        if annual.empty:
            if years:
                raise NothingNew(f"{spec.table_id}: the months fetched "
                                 f"({min(fetched_months['month'])}…{max(fetched_months['month'])})"
                                 f" make no year of {MIN_PARTIAL_MONTHS} months or more from "
                                 f"{spec.since} on; the annual figure waits for more months")
            raise SourceError(f"{spec.table_id}: the monthly series give no year from "
                              f"{spec.since} on")
        observations = to_observations(annual[["area_code", "period", "value", "flag"]], spec)
        partial = sorted(set(annual.loc[annual["flag"] == "partial", "period"]))
        notes = [f"years with fewer than 12 months, flagged partial: {partial}"] if partial \
            else []
        row = dict(load.source_row or {}, source_id=spec.source_id,
                   derivation=f"live ETL: annual_ratio({num}, {den}) × {spec.scale:g} "
                              "(mean of the months; a year of fewer than 12 months is "
                              "flagged partial, one of fewer than six gives no figure)")
        return observations, row, notes

    # ----- Sotkanet ---------------------------------------------------------------------
    def _sotkanet(self, spec: LiveSpec, previous_row, previous_rows):
        """Fetch a Sotkanet indicator: metadata checks, regions, data by year chunks."""
        live = spec.live
        ident = int(live["indicator"])
        meta = self.sotkanet.indicator(ident)
        problems = check_indicator(meta, ident)
        problem = title_problem(meta.get("title", "") if isinstance(meta, dict) else "",
                                live.get("title_contains"))
        if problem:
            problems.append(problem)
        if problems:
            raise SourceError(f"sotkanet indicator {ident}: " + "; ".join(problems))
        updated = indicator_updated(meta)
        if self._unchanged(previous_row, previous_rows, updated):
            return None
        first, last = sotkanet_years(meta)
        top = min(last or date.today().year, self.ctx.rules.latest_year())
        years = list(range(max(spec.since, first or spec.since), top + 1))
        if not years:
            raise SourceError(f"sotkanet indicator {ident} has no years from {spec.since} on "
                              f"(it covers {first}–{last})")
        regions = self.sotkanet.regions()
        gender = str(live.get("gender", "total"))
        rows, urls = [], []
        for start in range(0, len(years), SOTKANET_YEARS_PER_CALL):
            chunk = years[start:start + SOTKANET_YEARS_PER_CALL]
            rows.extend(self.sotkanet.data(ident, chunk, gender) or [])
            urls.append({"indicator": ident, "years": chunk, "genders": gender})
        try:
            frame = parse_sotkanet(rows, regions, indicator_id=ident, gender=gender,
                                   levels=spec.levels)
        except SotkanetError as exc:
            raise SourceError(f"sotkanet indicator {ident}: {exc}") from exc
        derived = derive(sotkanet_wide(frame), spec.derive, spec.scale)
        observations = to_observations(derived, spec)
        title = meta.get("title", {})
        title = (title.get("fi") or next(iter(title.values()), "")) if isinstance(title, dict) \
            else str(title)
        source_row = self._source_row(
            spec, title=title, origin=f"{self.sotkanet.url}/json",
            query=json.dumps(urls, ensure_ascii=False), updated=updated)
        return observations, source_row, []

    # ----- provenance -------------------------------------------------------------------
    def _source_row(self, spec: LiveSpec, *, title: str, origin: str, query: str,
                    updated: str | None) -> dict:
        """Return the provenance row of a live load."""
        derivation = {"value": "published value", "ratio": "numerator / denominator",
                      "published_or_ratio": "published value where the table publishes the "
                      "area, else Σ numerator / Σ denominator of today's municipalities",
                      "change_pct": "% change from the previous year"}.get(spec.derive,
                                                                          spec.derive)
        if spec.scale != 1:
            derivation += f" × {spec.scale:g}"
        if spec.rollup and spec.derive == "ratio":
            derivation += " (areas the table lacks: sums of today's municipalities)"
        return {"source_id": spec.source_id, "publisher": PUBLISHERS[spec.kind],
                "table_id": spec.table_id, "title": title, "licence": spec.licence,
                "origin": origin, "derivation": f"live ETL: {derivation}", "query": query,
                "updated": updated, "fetched_at": now().isoformat(timespec="seconds")}

    def _source_row_monthly(self, database: str, table: str, fetched: Fetched,
                            listed: str | None, series: dict[str, str]) -> dict:
        """Return the provenance row of a monthly table's load."""
        data = fetched.data
        title = str(self.pxweb.metadata(database, table).get("title", ""))
        return {"source_id": monthly_source_id(database, table),
                "publisher": PUBLISHERS["pxweb"], "table_id": f"{database}/{table}",
                "title": title, "licence": "CC BY 4.0",
                "origin": data.urls[0] if data.urls else self.pxweb.table_url(database, table),
                "derivation": "live ETL: monthly counts as published ("
                              + ", ".join(f"{k} = {v}" for k, v in series.items()) + ")",
                "query": json.dumps(data.queries, ensure_ascii=False),
                "updated": listed or data.updated,
                "fetched_at": now().isoformat(timespec="seconds")}


def _monthly_from_wide(wide: pd.DataFrame, series: dict[str, str], source_id: str
                       ) -> pd.DataFrame:
    """Return monthly_observations rows from the wide monthly frame (columns = series ids)."""
    rows = monthly_rows(wide, series, source_id)
    if len(rows):
        rows["flag"] = rows["flag"].astype(object).where(rows["flag"].notna(), None)
        rows["value"] = rows["value"].astype(float)
    return rows.reset_index(drop=True) if len(rows) else pd.DataFrame(
        columns=[*MONTHLY_KEY, "value", "flag", "source_id"])
