"""One live ETL run: per source fetch -> parse -> map -> validate -> stage, then publish once."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from etl import http, warehouse
from etl.jsonstat import JsonStatError
from etl.live_sources import (
    LiveSpec,
    SourceError,
    plan_pxweb,
    pxweb_cells_to_frame,
    specs_from_catalog,
    title_problem,
    to_observations,
)
from etl.lock import LockBusy, RunLock
from etl.paths import DATA_DIR
from etl.pxweb import PxWebClient
from etl.sotkanet import SotkanetClient, SotkanetError, check_indicator, indicator_updated
from etl.sotkanet import indicator_years as sotkanet_years
from etl.sotkanet import parse_data as parse_sotkanet
from etl.validate import Rules, validate_observations
from indicators.regions import areas_frame

PAUSE_ENV = "TILANNEKUVA_ETL_PAUSE_BEFORE_PUBLISH"  # testing aid: seconds to wait before swap
EXPECTED_ERRORS = (http.FetchError, SourceError, SotkanetError, JsonStatError)
SOTKANET_YEARS_PER_CALL = 10
EXIT_OK, EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE = 0, 1, 3, 2
PUBLISHERS = {"pxweb": "Tilastokeskus (Statistics Finland)", "sotkanet": "THL / Sotkanet"}


@dataclass
class RunOptions:
    """What a run does and how patiently; the HTTP parts are injectable for tests."""

    db_path: Path
    only: list[str] | None = None
    dry_run: bool = False
    force: bool = False
    snapshot_dir: Path = DATA_DIR
    rules: Rules = field(default_factory=Rules)
    http_settings: http.HttpSettings = field(default_factory=http.HttpSettings)
    pxweb_url: str | None = None
    sotkanet_url: str | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    out: Callable[[str], None] = print


@dataclass
class SourceResult:
    """What happened to one source in a run."""

    source_id: str
    status: str  # ok | unchanged | failed
    started_at: datetime
    finished_at: datetime
    rows: int = 0
    message: str = ""
    observations: pd.DataFrame | None = None
    source_row: dict | None = None


@dataclass
class RunReport:
    """The outcome of a run: per-source results, whether it published, and the exit code."""

    run_id: str
    results: list[SourceResult]
    published: bool
    exit_code: int
    summary: str


def now() -> datetime:
    """Return the current UTC time (naive, for TIMESTAMP columns)."""
    return datetime.now(UTC).replace(tzinfo=None)


def journal_path(db_path: Path) -> Path:
    """Return the append-only run journal beside the warehouse (logs/etl_runs.jsonl)."""
    return Path(db_path).parent / "logs" / "etl_runs.jsonl"


def lock_path(db_path: Path) -> Path:
    """Return the run lock file beside the warehouse."""
    return Path(db_path).with_name(Path(db_path).name + ".lock")


class Fetcher:
    """Fetches one spec through the API clients and returns observations + provenance."""

    def __init__(self, options: RunOptions, previous: dict[str, pd.DataFrame],
                 known_areas: set[str]):
        """Create the clients for this run."""
        self.options = options
        self.previous = previous
        self.known_areas = known_areas
        self.pxweb = PxWebClient(options.pxweb_url, settings=options.http_settings,
                                 clock=options.clock, sleep=options.sleep)
        self.sotkanet = SotkanetClient(options.sotkanet_url, settings=options.http_settings,
                                       sleep=options.sleep)

    def previous_source(self, spec: LiveSpec) -> tuple[dict | None, int]:
        """Return the last good sources row of this spec and how many rows it loaded."""
        sources, obs = self.previous["sources"], self.previous["observations"]
        row = None
        if len(sources) and spec.source_id in set(sources["source_id"]):
            row = sources[sources["source_id"] == spec.source_id].iloc[0].to_dict()
        count = int((obs["source_id"] == spec.source_id).sum()) if len(obs) else 0
        return row, count

    def fetch(self, spec: LiveSpec) -> SourceResult:
        """Fetch, shape and validate one source; never raises for expected faults."""
        started = now()
        previous_row, previous_rows = self.previous_source(spec)
        try:
            if spec.kind == "pxweb":
                staged = self._pxweb(spec, previous_row, previous_rows)
            else:
                staged = self._sotkanet(spec, previous_row, previous_rows)
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
        problems = validate_observations(
            observations, valid_range=spec.valid_range, known_areas=self.known_areas,
            previous_rows=previous_rows or None, force=self.options.force,
            rules=self.options.rules)
        if problems:
            return SourceResult(spec.source_id, "failed", started, now(),
                                message=f"{spec.table_id}: " + "; ".join(problems))
        return SourceResult(spec.source_id, "ok", started, now(), rows=len(observations),
                            message="; ".join(notes), observations=observations,
                            source_row=source_row)

    def _unchanged(self, spec: LiveSpec, previous_row: dict | None, previous_rows: int,
                   updated: str | None) -> bool:
        """Return True when the table's stamp equals the last good load's (and not --force)."""
        return bool(not self.options.force and previous_row and previous_rows and updated
                    and str(previous_row.get("updated")) == str(updated))

    def _pxweb(self, spec: LiveSpec, previous_row, previous_rows):
        """Fetch a PxWeb spec: updated stamp, metadata check, split query, parse."""
        live = spec.live
        database, table = live["database"], live["table"]
        listed = self.pxweb.table_updated(database, table)
        if self._unchanged(spec, previous_row, previous_rows, listed):
            return None
        metadata = self.pxweb.metadata(database, table)
        problem = title_problem(metadata.get("title", ""), live.get("title_contains"))
        if problem:
            raise SourceError(f"{spec.table_id}: {problem}")
        plan = plan_pxweb(spec, metadata, self.known_areas, self.options.rules.latest_year())
        data = self.pxweb.fetch(database, table, plan.selection)
        frame = pxweb_cells_to_frame(data.frame, spec)
        observations = to_observations(frame, spec)
        source_row = self._source_row(
            spec, title=str(metadata.get("title", "")),
            origin=self.pxweb.table_url(database, table),
            query=json.dumps(data.queries, ensure_ascii=False),
            updated=listed or data.updated)
        return observations, source_row, plan.notes

    def _sotkanet(self, spec: LiveSpec, previous_row, previous_rows):
        """Fetch a Sotkanet spec: indicator metadata, regions, data by year chunks."""
        live = spec.live
        ident = int(live["indicator"])
        meta = self.sotkanet.indicator(ident)
        problems = check_indicator(meta, ident)
        problem = title_problem(meta.get("title", ""), live.get("title_contains"))
        if problem:
            problems.append(problem)
        if problems:
            raise SourceError(f"sotkanet indicator {ident}: " + "; ".join(problems))
        updated = indicator_updated(meta)
        if self._unchanged(spec, previous_row, previous_rows, updated):
            return None
        first, last = sotkanet_years(meta)
        top = min(last or date.today().year, self.options.rules.latest_year())
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
        observations = to_observations(frame, spec)
        title = meta.get("title", {})
        title = title.get("fi") or next(iter(title.values()), "") if isinstance(title, dict) \
            else str(title)
        source_row = self._source_row(
            spec, title=title, origin=f"{self.sotkanet.url}/json",
            query=json.dumps(urls, ensure_ascii=False), updated=updated)
        return observations, source_row, []

    def _source_row(self, spec: LiveSpec, *, title: str, origin: str, query: str,
                    updated: str | None) -> dict:
        """Return the provenance row of a live load."""
        derivation = {"value": "published value", "ratio": "value / denominator",
                      "change_pct": "% change from previous year"}[spec.derive]
        if spec.scale != 1:
            derivation += f" × {spec.scale:g}"
        return {"source_id": spec.source_id, "publisher": PUBLISHERS[spec.kind],
                "table_id": spec.table_id, "title": title, "licence": spec.licence,
                "origin": origin, "derivation": f"live ETL: {derivation}", "query": query,
                "updated": updated, "fetched_at": now().isoformat(timespec="seconds")}


def merge_loads(previous: dict[str, pd.DataFrame], loads: list[SourceResult]
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (observations, sources): last good data with each successful load swapped in.

    A load replaces every row its source loaded before and, where keys overlap, rows of
    other sources (e.g. the bundled snapshot); the other rows stay as they were.
    """
    obs, sources = previous["observations"], previous["sources"]
    key = ["indicator_id", "area_code", "period"]
    for load in loads:
        new = load.observations
        obs = obs[obs["source_id"] != load.source_id] if len(obs) else obs
        if len(obs):
            clash = obs.set_index(key).index.isin(new.set_index(key).index)
            obs = obs[~clash]
        obs = pd.concat([obs, new], ignore_index=True) if len(obs) else new.copy()
        if len(sources):
            sources = sources[sources["source_id"] != load.source_id]
        sources = pd.concat([sources, pd.DataFrame([load.source_row])], ignore_index=True) \
            if len(sources) else pd.DataFrame([load.source_row])
    obs = obs.astype({"period": "int64", "value": "float64"})
    return obs.reset_index(drop=True), sources.reset_index(drop=True)


def run_records(run_id: str, started: datetime, finished: datetime, results: list[SourceResult],
                status: str, summary: str) -> list[dict]:
    """Return etl_runs rows: one for the run (source_id NULL) and one per source."""
    rows = [{"run_id": run_id, "source_id": None, "started_at": started,
             "finished_at": finished, "status": status,
             "rows": sum(r.rows for r in results if r.status == "ok"), "message": summary}]
    rows += [{"run_id": run_id, "source_id": r.source_id, "started_at": r.started_at,
              "finished_at": r.finished_at, "status": r.status, "rows": r.rows,
              "message": r.message} for r in results]
    return rows


def append_journal(path: Path, records: list[dict]) -> None:
    """Append run records to the JSON-lines journal (kept even when nothing is published)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, default=lambda v: v.isoformat(), ensure_ascii=False) + "\n")


def read_journal(path: Path) -> pd.DataFrame:
    """Return the journal's records as an etl_runs frame (skipping unreadable lines)."""
    if not path.exists():
        return pd.DataFrame()
    recs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            recs.append(json.loads(line))
        except ValueError:
            continue
    frame = pd.DataFrame(recs)
    for col in ("started_at", "finished_at"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    return frame


def all_runs(previous_runs: pd.DataFrame, journal: pd.DataFrame) -> pd.DataFrame:
    """Return the union of the warehouse's etl_runs and the journal, one row per run/source."""
    frames = [f for f in (previous_runs, journal) if len(f)]
    if not frames:
        return pd.DataFrame()
    runs = pd.concat(frames, ignore_index=True)
    runs["source_key"] = runs["source_id"].fillna("")
    runs = runs.drop_duplicates(["run_id", "source_key"], keep="last").drop(columns="source_key")
    return runs.sort_values("started_at", kind="stable").reset_index(drop=True)


def _pause_hook() -> Callable[[Path], None] | None:
    """Return the testing pause before the warehouse swap when PAUSE_ENV is set."""
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds <= 0:
        return None
    return lambda tmp: (print(f"paused before publishing {tmp}", flush=True),
                        time.sleep(seconds))[-1]


def run(options: RunOptions) -> RunReport:
    """Run the live ETL under the lock and return what happened (never leaves a half-build)."""
    out = options.out
    db_path = Path(options.db_path)
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
    try:
        lock = RunLock(lock_path(db_path)).acquire()
    except LockBusy as exc:
        out(f"ETL run not started: {exc}")
        return RunReport(run_id, [], False, EXIT_LOCKED, str(exc))
    try:
        return _locked_run(options, db_path, run_id)
    finally:
        lock.release()


def _locked_run(options: RunOptions, db_path: Path, run_id: str) -> RunReport:
    """The body of a run, with the lock held."""
    out = options.out
    started = now()
    for stale in warehouse.stale_temp_files(db_path):
        stale.unlink(missing_ok=True)
        out(f"removed a half-written file left by an interrupted run: {stale.name}")
    try:
        specs = specs_from_catalog(only=options.only)
    except SourceError as exc:
        out(f"ETL run not started: {exc}")
        return RunReport(run_id, [], False, EXIT_USAGE, str(exc))
    try:
        previous = warehouse.last_good(db_path, options.snapshot_dir)
    except Exception as exc:  # noqa: BLE001 - an unreadable warehouse stops the run cleanly
        message = f"cannot read the current warehouse {db_path}: {exc}"
        out(f"ETL run failed: {message}")
        return RunReport(run_id, [], False, EXIT_FAILED, message)
    known_areas = set(areas_frame()["code"])
    fetcher = Fetcher(options, previous, known_areas)
    out(f"ETL run {run_id}: {len(specs)} sources -> {db_path}"
        + (" (dry run)" if options.dry_run else ""))
    results = []
    for i, spec in enumerate(specs, 1):
        out(f"[{i}/{len(specs)}] {spec.source_id} ({spec.kind} {spec.table_id}) ...")
        result = fetcher.fetch(spec)
        results.append(result)
        detail = f" ({result.message})" if result.message else ""
        if result.status == "ok":
            out(f"    ok: {result.rows} rows{detail}")
        elif result.status == "unchanged":
            out(f"    unchanged: kept {result.rows} rows{detail}")
        else:
            out(f"    FAILED: {result.message}")
    loads = [r for r in results if r.status == "ok"]
    failed = [r for r in results if r.status == "failed"]
    unchanged = [r for r in results if r.status == "unchanged"]
    published = False
    publish_error = ""
    if loads and not options.dry_run:
        observations, sources = merge_loads(previous, loads)
        records = run_records(run_id, started, now(), results,
                              "ok" if not failed else "partial", "published")
        runs = all_runs(previous.get("etl_runs", pd.DataFrame()),
                        pd.concat([read_journal(journal_path(db_path)), pd.DataFrame(records)],
                                  ignore_index=True))
        meta = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "built_from": f"live ETL run {run_id}"}
        try:
            warehouse.build_live(db_path, observations, sources, runs, meta,
                                 before_replace=_pause_hook(),
                                 monthly=previous.get("monthly_observations"))
            published = True
        except Exception as exc:  # noqa: BLE001 - report and keep the last good warehouse
            publish_error = f"publishing failed, the previous warehouse is kept: {exc}"
            out(publish_error)
    status = "failed" if (failed and not loads and not unchanged) or publish_error else (
        "partial" if failed else "ok")
    summary = (f"ETL run {run_id} {status}: {len(loads)} loaded, {len(unchanged)} unchanged, "
               f"{len(failed)} failed; "
               + (f"published {sum(r.rows for r in loads)} new rows into {db_path}"
                  if published else "warehouse not changed")
               + (f" [{publish_error}]" if publish_error else ""))
    if not options.dry_run:
        append_journal(journal_path(db_path),
                       run_records(run_id, started, now(), results, status, summary))
    out(summary)
    code = EXIT_OK if not failed and not publish_error else EXIT_FAILED
    return RunReport(run_id, results, published, code, summary)


def main_run(db_path: Path, only: list[str] | None, dry_run: bool, force: bool) -> int:
    """Run with default options for the command line and return the exit code."""
    try:
        settings = http.settings_from_env()
    except ValueError as exc:
        print(f"ETL run not started: {exc}", flush=True)
        return EXIT_USAGE
    report = run(RunOptions(db_path=db_path, only=only, dry_run=dry_run, force=force,
                            http_settings=settings, out=lambda line: print(line, flush=True)))
    sys.stdout.flush()
    return report.exit_code
