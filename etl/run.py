"""One live ETL run: per source fetch, resolve, derive, validate and stage; then publish once."""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl import http
from etl.fetcher import FetchContext, Fetcher, SourceResult, now
from etl.live_sources import SourceError, specs_from_catalog
from etl.lock import LockBusy, RunLock
from etl.merge import replace_monthly, replace_observations, replace_source
from etl.pxweb import PxWebClient
from etl.sotkanet import SotkanetClient
from etl.validate import Rules
from indicators.regions import areas_frame
from warehouse import build, writer
from warehouse.paths import DATA_DIR

PAUSE_ENV = "TILANNEKUVA_ETL_PAUSE_BEFORE_PUBLISH"  # testing aid: seconds to wait before swap
DEADLINE_ENV = "TILANNEKUVA_RUN_DEADLINE"
DEFAULT_RUN_DEADLINE = 3600.0
EXIT_OK, EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE = 0, 1, 3, 2


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
    run_deadline: float = DEFAULT_RUN_DEADLINE  # seconds for the whole run; then nothing is sent


@dataclass
class RunReport:
    """The outcome of a run: per-source results, whether it published, and the exit code."""

    run_id: str
    results: list[SourceResult]
    published: bool
    exit_code: int
    summary: str


def journal_path(db_path: Path) -> Path:
    """Return the append-only run journal beside the warehouse (logs/etl_runs.jsonl)."""
    return Path(db_path).parent / "logs" / "etl_runs.jsonl"


def lock_path(db_path: Path) -> Path:
    """Return the run lock file beside the warehouse."""
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def merge_loads(previous: dict[str, pd.DataFrame], loads: list[SourceResult]
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (observations, sources, monthly): last good data with each load swapped in.

    A load replaces every row its source loaded before and, where keys overlap, rows of
    other sources (e.g. the bundled snapshot); the other rows stay as they were.
    """
    obs, sources = previous["observations"], previous["sources"]
    monthly = previous.get("monthly_observations", pd.DataFrame())
    for load in loads:
        if load.observations is not None:
            obs = replace_observations(obs, load.observations, load.source_id)
        if load.monthly is not None:
            monthly = replace_monthly(monthly, load.monthly, load.source_id)
        sources = replace_source(sources, load.source_row)
    obs = obs.astype({"period": "int64", "value": "float64"})
    return obs.reset_index(drop=True), sources.reset_index(drop=True), \
        monthly.reset_index(drop=True)


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


def make_fetcher(options: RunOptions, previous: dict[str, pd.DataFrame], specs: list
                 ) -> Fetcher:
    """Return a fetcher with this run's clients (also used by `etl check`)."""
    context = FetchContext(rules=options.rules, force=options.force, previous=previous,
                           areas=areas_frame(), specs=specs, out=options.out)
    guard = http.Guard(clock=options.clock, deadline=options.clock() + options.run_deadline)
    pxweb = PxWebClient(options.pxweb_url, settings=options.http_settings, clock=options.clock,
                        sleep=options.sleep, guard=guard)
    sotkanet = SotkanetClient(options.sotkanet_url, settings=options.http_settings,
                              sleep=options.sleep, clock=options.clock, guard=guard)
    return Fetcher(context, pxweb, sotkanet)


def _print_result(out: Callable[[str], None], result: SourceResult) -> None:
    """Print what happened to one source (and the revisions it makes)."""
    detail = f" ({result.message})" if result.message else ""
    if result.status == "ok":
        out(f"    ok: {result.rows} rows{detail}")
    elif result.status == "unchanged":
        out(f"    unchanged: kept {result.rows} rows{detail}")
    elif result.status == "skipped":
        out(f"    skipped: {result.message}")
    else:
        out(f"    FAILED: {result.message}")


def _locked_run(options: RunOptions, db_path: Path, run_id: str) -> RunReport:
    """The body of a run, with the lock held."""
    out = options.out
    started = now()
    for stale in writer.remove_stale_temp_files(db_path):
        out(f"removed a half-written file left by an interrupted run or build: {stale.name}")
    try:
        specs = specs_from_catalog(only=options.only)
    except SourceError as exc:
        out(f"ETL run not started: {exc}")
        return RunReport(run_id, [], False, EXIT_USAGE, str(exc))
    try:
        previous = build.last_good(db_path, options.snapshot_dir)
    except Exception as exc:  # noqa: BLE001 - an unreadable warehouse stops the run cleanly
        message = f"cannot read the current warehouse {db_path}: {exc}"
        out(f"ETL run failed: {message}")
        return RunReport(run_id, [], False, EXIT_FAILED, message)
    fetcher = make_fetcher(options, previous, specs)
    out(f"ETL run {run_id}: {len(specs)} sources -> {db_path}"
        + (" (dry run)" if options.dry_run else ""))
    results: list[SourceResult] = []
    for i, spec in enumerate(specs, 1):
        out(f"[{i}/{len(specs)}] {spec.source_id} ({spec.kind} {spec.table_id}) ...")
        seen = len(fetcher.ctx.extra)
        left = fetcher.pxweb.guard.remaining()
        if spec.kind != "none" and left is not None and left <= 0:
            result = SourceResult(spec.source_id, "failed", now(), now(),
                                  message=f"not started: the run's deadline of "
                                          f"{options.run_deadline:g} s has passed")
        else:
            result = fetcher.fetch(spec)
        for extra in fetcher.ctx.extra[seen:]:
            out(f"    monthly series {extra.source_id.removeprefix('live:monthly:')}:")
            _print_result(lambda line: out("    " + line), extra)
            results.append(extra)
        results.append(result)
        _print_result(out, result)
    loads = [r for r in results if r.status == "ok"]
    failed = [r for r in results if r.status == "failed"]
    unchanged = [r for r in results if r.status == "unchanged"]
    published = False
    publish_error = ""
    if loads and not options.dry_run:
        observations, sources, monthly = merge_loads(previous, loads)
        records = run_records(run_id, started, now(), results,
                              "ok" if not failed else "partial", "published")
        runs = all_runs(previous.get("etl_runs", pd.DataFrame()),
                        pd.concat([read_journal(journal_path(db_path)), pd.DataFrame(records)],
                                  ignore_index=True))
        meta = {"built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "built_from": f"live ETL run {run_id}"}
        try:
            build.build_live(db_path, observations, sources, runs, meta,
                                 before_replace=_pause_hook(), monthly=monthly)
            published = True
        except Exception as exc:  # noqa: BLE001 - report and keep the last good warehouse
            publish_error = f"publishing failed, the previous warehouse is kept: {exc}"
            out(publish_error)
    status = "failed" if (failed and not loads and not unchanged) or publish_error else (
        "partial" if failed else "ok")
    summary = (f"ETL run {run_id} {status}: {len(loads)} loaded, {len(unchanged)} unchanged, "
               f"{len(failed)} failed"
               + (f", {sum(r.status == 'skipped' for r in results)} without a live source"
                  if any(r.status == "skipped" for r in results) else "") + "; "
               + (f"published {sum(r.rows for r in loads)} new rows into {db_path}"
                  if published else "warehouse not changed")
               + (f" [{publish_error}]" if publish_error else ""))
    if not options.dry_run:
        append_journal(journal_path(db_path),
                       run_records(run_id, started, now(), results, status, summary))
    out(summary)
    code = EXIT_OK if not failed and not publish_error else EXIT_FAILED
    return RunReport(run_id, results, published, code, summary)


def options_from_env(db_path: Path, only: list[str] | None = None, dry_run: bool = False,
                     force: bool = False) -> RunOptions | None:
    """Return run options with the HTTP settings of the environment (None: bad settings)."""
    try:
        settings = http.settings_from_env()
        deadline = float(os.environ.get(DEADLINE_ENV) or DEFAULT_RUN_DEADLINE)
        if deadline <= 0:
            raise ValueError(f"{DEADLINE_ENV} must be positive")
    except ValueError as exc:
        print(f"ETL not started: {exc}", flush=True)
        return None
    return RunOptions(db_path=db_path, only=only, dry_run=dry_run, force=force,
                      http_settings=settings, run_deadline=deadline,
                      out=lambda line: print(line, flush=True))


def main_run(db_path: Path, only: list[str] | None, dry_run: bool, force: bool) -> int:
    """Run with default options for the command line and return the exit code."""
    options = options_from_env(db_path, only, dry_run, force)
    if options is None:
        return EXIT_USAGE
    report = run(options)
    sys.stdout.flush()
    return report.exit_code
