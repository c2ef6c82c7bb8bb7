import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from report_helpers import latest_score_year

from report import cli

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ["MK01", "MK02", "MK04", "MK05", "MK06", "MK07", "MK08", "MK09", "MK10", "MK11",
           "MK12", "MK13", "MK14", "MK15", "MK16", "MK17", "MK18", "MK19", "MK21"]


def _code(path: Path) -> str:
    return re.search(r"_(MK\d\d)_", path.name).group(1)


def test_batch_writes_the_19_briefs(warehouse, tmp_path, capsys):
    year = latest_score_year(warehouse)
    out = tmp_path / "briefs"
    rc = cli.main(["--all", "--lang", "fi", "--out", str(out), "--db", str(warehouse)])
    err = capsys.readouterr().err
    assert rc == 0, err
    pdfs = sorted(out.glob("*.pdf"))
    assert sorted(_code(p) for p in pdfs) == REGIONS
    assert all(p.name.startswith(f"tilannekuva_{year}_") and p.name.endswith("_fi.pdf")
               for p in pdfs)
    for path in pdfs:  # two pages of the picture, two of the ALKE sections (no region texts)
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) == 4
        assert "Nopea tilannekuva" in reader.pages[2].extract_text()
    assert "[ 1/19] MK01 Uusimaa ok" in err
    assert "[ 6/19] MK07 Päijät-Häme ok" in err
    assert "[19/19] MK21 Ahvenanmaa ok" in err
    assert not list(out.glob(".*"))  # no temporary files left behind


def test_a_failing_region_fails_the_run_but_the_rest_are_written(warehouse, tmp_path, capsys):
    out = tmp_path / "briefs"
    rc = cli.main(["--region", "MK07", "--region", "XX99", "--region", "mk02", "--format",
                   "both", "--lang", "sv", "--out", str(out), "--db", str(warehouse)])
    err = capsys.readouterr().err
    assert rc == 1
    assert sorted({_code(p) for p in out.iterdir()}) == ["MK02", "MK07"]
    assert len(list(out.glob("*.pdf"))) == 2 and len(list(out.glob("*.html"))) == 2
    assert "[2/3] XX99 (unknown region) FAILED: Unknown region code 'XX99'" in err
    assert err.strip().splitlines()[-1].startswith("error: 1 brief(s) failed: XX99")


def test_an_exception_in_one_brief_names_the_region(warehouse, tmp_path, capsys, monkeypatch):
    from report import pdf as rpdf

    real = rpdf.pdf_bytes

    def broken(content, charts=None, alke=None, alke_images=None):
        if content.area_code == "MK05":
            raise RuntimeError("simulated layout failure")
        return real(content, charts, alke, alke_images)

    monkeypatch.setattr(rpdf, "pdf_bytes", broken)
    out = tmp_path / "briefs"
    out.mkdir()
    old = out / "tilannekuva_old_MK05.pdf"
    old.write_bytes(b"an older good file")
    rc = cli.main(["--region", "MK04", "--region", "MK05", "--region", "MK06", "--out",
                   str(out), "--db", str(warehouse)])
    err = capsys.readouterr().err
    assert rc == 1
    assert sorted(_code(p) for p in out.glob("tilannekuva_2*.pdf")) == ["MK04", "MK06"]
    assert old.read_bytes() == b"an older good file"
    assert "MK05 Kanta-Häme FAILED: simulated layout failure" in err
    assert "error: 1 brief(s) failed: MK05 Kanta-Häme (fi): simulated layout failure" in err


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"previous")

    def fail(src, dst):
        raise OSError("disk full")

    import warehouse.atomic

    monkeypatch.setattr(warehouse.atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        cli.write_atomic(target, b"new")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]


def test_missing_warehouse_and_bad_year_are_clear(tmp_path, warehouse, capsys):
    rc = cli.main(["--all", "--out", str(tmp_path), "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err
    assert rc == 2 and "does not exist" in err and "python -m etl build" in err
    rc = cli.main(["--all", "--year", "1850", "--out", str(tmp_path), "--db", str(warehouse)])
    err = capsys.readouterr().err
    assert rc == 2 and "no figures for the year 1850; available years" in err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fi"])  # neither --all nor --region
    assert "one of the arguments --all --region is required" in capsys.readouterr().err


def test_module_entry_point_runs(warehouse, tmp_path):
    latest_score_year(warehouse)
    result = subprocess.run(
        [sys.executable, "-m", "report", "--region", "MK21", "--lang", "en", "--format", "html",
         "--out", str(tmp_path), "--db", str(warehouse)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "[1/1] MK21 Ahvenanmaa ok" in result.stderr
    (html,) = tmp_path.glob("*.html")
    assert "Åland" in html.read_text("utf-8")
