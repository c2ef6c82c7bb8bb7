"""Helpers of the report tests: independent warehouse reads, an unscored warehouse, PDF text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pypdf
import pytest

SCORE_TABLES = ("scores", "indicator_scores", "peers")


def sql(db: Path, text: str, params: list | None = None) -> list[tuple]:
    """Run one read on the warehouse with its own connection (independent of warehouse/query.py)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(text, params or []).fetchall()
    finally:
        con.close()


def latest_score_year(db: Path) -> int:
    """Return the latest year with an overall score of some region; fail plainly when none."""
    rows = sql(db, """SELECT max(s.period) FROM scores s JOIN areas a ON a.code = s.area_code
                      WHERE a.level = 'region' AND s.dimension = 'overall'
                      AND s.score IS NOT NULL""")
    if rows[0][0] is None:
        pytest.fail("The test warehouse has no scores: warehouse.build.build_from_snapshot must "
                    "fill the scores tables (scoring wired into the build) for this test.")
    return int(rows[0][0])


def overall_score(db: Path, area: str, year: int) -> float | None:
    """Return the stored overall score of an area in a year (None when missing)."""
    rows = sql(db, "SELECT score FROM scores WHERE area_code = ? AND period = ? "
                   "AND dimension = 'overall'", [area, year])
    return rows[0][0] if rows else None


def unscored_warehouse(path: Path) -> Path:
    """Build a warehouse from the bundled snapshot with empty scores, indicator scores, peers."""
    from indicators.catalog import catalog_frame
    from indicators.regions import areas_frame
    from warehouse.build import dimensions_frame
    from warehouse.snapshot import read_snapshot
    from warehouse.writer import write_warehouse

    observations, sources = read_snapshot()
    tables = {"areas": areas_frame(), "dimensions": dimensions_frame(),
              "indicators": catalog_frame(), "sources": sources, "observations": observations}
    assert not set(tables) & set(SCORE_TABLES)
    return write_warehouse(path, tables, {"built_at": "2026-01-02T03:04:05+00:00",
                                          "built_from": "test"})


def squash(text: str) -> str:
    """Return text with every run of whitespace (incl. no-break spaces) as one plain space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def pdf_pages(data: bytes) -> list[str]:
    """Return each page's extracted text (pypdf)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def pdftoppm() -> str:
    """Return the pdftoppm executable or fail with how to install it."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("pdftoppm is missing: install it with `sudo apt-get install poppler-utils`")
    return exe


def render_pages(pdf_path: Path, out_dir: Path, dpi: int = 40) -> list[Path]:
    """Render every page of a PDF to PNG with pdftoppm; return the PNG paths (sorted)."""
    result = subprocess.run([pdftoppm(), "-png", "-r", str(dpi), str(pdf_path),
                             str(out_dir / "page")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"pdftoppm failed: {result.stderr}"
    return sorted(out_dir.glob("page*.png"))
