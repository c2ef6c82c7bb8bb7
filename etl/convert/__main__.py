"""Command line: python -m etl.convert RAW_DIR [--out data/] (maintainer tool)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.convert.errors import ConvertError
from warehouse.paths import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    """Convert the raw folder into the snapshot; print a coverage summary; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m etl.convert",
        description="Convert the raw published files (../shared/data/raw) into the bundled "
                    "snapshot (data/) and the region registry (indicators/).")
    parser.add_argument("raw_dir", help="folder with the raw files (see data/README.md)")
    parser.add_argument("--out", default=str(DATA_DIR), help="snapshot folder (default: data/)")
    args = parser.parse_args(argv)
    from etl.convert.run import convert_all

    try:
        summary = convert_all(Path(args.raw_dir), Path(args.out))
    except (ConvertError, OSError) as exc:
        print(f"convert failed: {exc}", file=sys.stderr)
        return 1
    print(summary["coverage"].to_string(index=False))
    print(f"{summary['rows']} observations written to {args.out}")
    if len(summary["rejected"]):
        print(f"{len(summary['rejected'])} published figures left out (outside valid_range):")
        print(summary["rejected"].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
