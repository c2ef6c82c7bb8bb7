"""Command line: python -m etl check | run | build | snapshot (see README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from warehouse.paths import DATA_DIR, warehouse_path

DB_HELP = "warehouse path (default: $TILANNEKUVA_DB or data/warehouse.duckdb)"


def cmd_build(args: argparse.Namespace) -> int:
    """Build the warehouse from the bundled snapshot, under the same lock as `etl run`."""
    from etl.lock import LockBusy, RunLock
    from etl.run import EXIT_LOCKED, lock_path
    from warehouse.build import STEPS, build_from_snapshot
    from warehouse.writer import WarehouseError, remove_stale_temp_files

    db = Path(args.db or warehouse_path())
    try:
        lock = RunLock(lock_path(db)).acquire()
    except LockBusy as exc:
        print(f"build not started: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    try:
        for stale in remove_stale_temp_files(db):
            print(f"removed a half-written file left by an interrupted run or build: "
                  f"{stale.name}")
        path = build_from_snapshot(db, Path(args.snapshot), report=lambda step, text: print(
            f"{STEPS.index(step) + 1}/{len(STEPS)} {step}: {text}", flush=True))
    except WarehouseError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    print(f"built {path}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Fetch the live sources, validate them and publish the new warehouse atomically."""
    from etl.run import main_run

    return main_run(Path(args.db or warehouse_path()), args.only, args.dry_run, args.force)


def cmd_check(args: argparse.Namespace) -> int:
    """Resolve every live source against the APIs' metadata and say what a run would do."""
    from etl.check import run_check
    from etl.run import options_from_env

    options = options_from_env(Path(args.db or warehouse_path()), args.only)
    if options is None:
        return 2
    return run_check(options, out=lambda line: print(line, flush=True))


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write the warehouse's observations and sources into the bundled snapshot files."""
    from warehouse.snapshot import write_snapshot
    from warehouse.writer import WarehouseError

    try:
        obs, src = write_snapshot(Path(args.db or warehouse_path()), Path(args.snapshot))
    except WarehouseError as exc:
        print(f"snapshot failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {obs} and {src}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="preflight: resolve every live source from the APIs' "
                                     "metadata (no data, writes nothing)")
    c.add_argument("--db", help=DB_HELP)
    c.add_argument("--only", nargs="+", metavar="ID", help="only these indicator ids")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="build the warehouse from the bundled snapshot")
    b.add_argument("--db", help=DB_HELP)
    b.add_argument("--snapshot", default=str(DATA_DIR), help="snapshot folder (default: data/)")
    b.set_defaults(func=cmd_build)
    r = sub.add_parser("run", help="fetch the live sources (PxWeb, Sotkanet) and publish")
    r.add_argument("--db", help=DB_HELP)
    r.add_argument("--only", nargs="+", metavar="ID",
                   help="only these sources (indicator ids, e.g. low_income_rate)")
    r.add_argument("--dry-run", action="store_true",
                   help="fetch and validate, but publish nothing")
    r.add_argument("--force", action="store_true",
                   help="download unchanged tables too and accept large drops in row count")
    r.set_defaults(func=cmd_run)
    s = sub.add_parser("snapshot", help="write the warehouse back into data/*.parquet")
    s.add_argument("--db", help=DB_HELP)
    s.add_argument("--snapshot", default=str(DATA_DIR), help="snapshot folder (default: data/)")
    s.set_defaults(func=cmd_snapshot)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = parser().parse_args(argv)
    return args.func(args)
