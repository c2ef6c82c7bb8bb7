"""Command line: python -m etl build | run | snapshot | brief (see README)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import DATA_DIR, warehouse_path


def cmd_build(args: argparse.Namespace) -> int:
    """Build the warehouse from the bundled snapshot."""
    from etl.warehouse import WarehouseError, build_from_snapshot

    try:
        path = build_from_snapshot(Path(args.db or warehouse_path()), Path(args.snapshot))
    except WarehouseError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"built {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the warehouse from the bundled snapshot")
    b.add_argument("--db", help="warehouse path (default: $TILANNEKUVA_DB or data/warehouse.duckdb)")
    b.add_argument("--snapshot", default=str(DATA_DIR), help="snapshot folder (default: data/)")
    b.set_defaults(func=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = parser().parse_args(argv)
    return args.func(args)
