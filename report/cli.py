"""Command line: python -m report --all --lang fi --out DIR writes the region briefs (PDF/HTML).

One progress line per brief goes to stderr ("[ 7/19] MK07 Päijät-Häme ok"). A brief that fails
is reported by name and the batch goes on; the exit code is then 1 and the last line names every
failed region. Each file is written beside its target and renamed into place, so a reader never
sees half a file and an older good file is only replaced by a complete new one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from presentation.alke_frames import AlkeFrames, load_alke_frames
from presentation.frames import PictureFrames, load_frames, region_codes
from presentation.i18n import LANGUAGES
from presentation.region import PictureError, build_region_picture, resolve_year
from warehouse.atomic import replacing
from warehouse.paths import warehouse_path

FORMATS = {"pdf": ("pdf",), "html": ("html",), "both": ("pdf", "html")}
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Failure:
    """One brief that could not be written: region, language and the reason."""

    code: str
    name: str
    lang: str
    reason: str


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path via a temporary file in the same folder and an atomic rename."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def brief_files(frames: PictureFrames, code: str, lang: str, year: int,
                formats: Sequence[str], out: Path, alke_frames: AlkeFrames | None = None,
                discussion_year: int | None = None) -> list[Path]:
    """Make one region's brief in one language and write it in each format; return the paths.

    With alke_frames the brief carries the fast picture, the alerts and the region's own text
    of the discussion year (default: this year).
    """
    from presentation.alke import build_alke_picture
    from presentation.alke_charts import alke_print_charts
    from presentation.static_charts import brief_charts
    from report.html import html_bytes
    from report.pdf import pdf_bytes

    content = build_region_picture(frames, code, lang, year)
    charts = brief_charts(content)
    alke = images = None
    if alke_frames is not None:
        alke = build_alke_picture(alke_frames, code, lang,
                                  discussion_year or dt.date.today().year)
        images = alke_print_charts(alke)
    makers = {"pdf": pdf_bytes, "html": html_bytes}
    written = []
    for kind in formats:
        data = makers[kind](content, charts, alke, images)
        path = out / f"{content.file_stem}.{kind}"
        write_atomic(path, data)
        written.append(path)
    return written


def parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    p = argparse.ArgumentParser(
        prog="python -m report",
        description="Write the printable region briefs (at most two A4 pages each; a third "
                    "page holds the region's own assessment when it has one).")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every one of the 19 regions")
    which.add_argument("--region", action="append", metavar="CODE",
                       help="one region code, e.g. MK02 (repeat for several)")
    p.add_argument("--lang", nargs="+", default=["fi"], choices=[*LANGUAGES, "all"],
                   help="language(s) of the briefs (default: fi; 'all' = fi sv en)")
    p.add_argument("--format", default="pdf", choices=sorted(FORMATS),
                   help="pdf, html or both (default: pdf)")
    p.add_argument("--year", type=int, help="the year (default: the latest with scores)")
    p.add_argument("--out", default="briefs", help="output folder (default: ./briefs)")
    p.add_argument("--db", help="warehouse path (default: $TILANNEKUVA_DB or "
                                "data/warehouse.duckdb)")
    return p


def _languages(chosen: Sequence[str]) -> list[str]:
    """Return the chosen languages in the standard order ('all' = every language)."""
    wanted = set(LANGUAGES) if "all" in chosen else set(chosen)
    return [lang for lang in LANGUAGES if lang in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the batch and return the exit code (0 ok, 1 some brief failed, 2 nothing could run)."""
    args = parser().parse_args(argv)
    from warehouse.query import WarehouseMissing

    try:
        frames = load_frames(Path(args.db) if args.db else warehouse_path())
        alke_frames = load_alke_frames(Path(args.db) if args.db else warehouse_path())
        year = resolve_year(frames, args.year)
    except (WarehouseMissing, PictureError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot create the output folder {out}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    codes = region_codes(frames) if args.all else [c.strip().upper() for c in args.region]
    langs = _languages(args.lang)
    names = dict(zip(frames.areas["code"], frames.areas["name_fi"], strict=True))
    jobs = [(code, lang) for code in codes for lang in langs]
    width = len(str(len(jobs)))
    failures: list[Failure] = []
    n_files = 0
    started = time.perf_counter()
    for i, (code, lang) in enumerate(jobs, start=1):
        name = names.get(code, "(unknown region)")
        lang_part = f" {lang}" if len(langs) > 1 else ""
        prefix = f"[{i:>{width}}/{len(jobs)}] {code} {name}{lang_part}"
        try:
            n_files += len(brief_files(frames, code, lang, year, FORMATS[args.format], out,
                                        alke_frames))
        except Exception as exc:  # noqa: BLE001 - one failing brief must not stop the batch
            reason = str(exc) or type(exc).__name__
            failures.append(Failure(code, name, lang, reason))
            print(f"{prefix} FAILED: {reason}", file=sys.stderr, flush=True)
            continue
        print(f"{prefix} ok", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - started
    done = len(jobs) - len(failures)
    print(f"wrote {done} of {len(jobs)} briefs ({n_files} files) for {year} to {out} "
          f"in {seconds:.1f} s", file=sys.stderr)
    if failures:
        listed = "; ".join(f"{f.code} {f.name} ({f.lang}): {f.reason}" for f in failures)
        print(f"error: {len(failures)} brief(s) failed: {listed}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
