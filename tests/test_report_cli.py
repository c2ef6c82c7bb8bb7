import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from report_helpers import latest_score_year, sql, squash

from presentation import format as fmt
from presentation.i18n import t
from report import cli

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ["MK01", "MK02", "MK04", "MK05", "MK06", "MK07", "MK08", "MK09", "MK10", "MK11",
           "MK12", "MK13", "MK14", "MK15", "MK16", "MK17", "MK18", "MK19", "MK21"]


def _code(path: Path) -> str:
    return re.search(r"_(MK\d\d)_", path.name).group(1)


OWN_TEXT_REGION = "MK16"  # the one region given its own text (in a temporary folder)


def _sections(lang: str, year: int) -> list[str]:
    """Return the titles every brief prints, in order: fast picture, alerts, industry, own text."""
    return [t("fast.title", lang), t("alerts.title", lang),
            t("industry.title", lang, year=year), t("assessment.title", lang)]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_batch_writes_the_19_briefs_on_two_pages(warehouse, tmp_path, capsys, monkeypatch,
                                                 lang):
    """Every region in each language: two pages at most, three with the region's own text.

    One region gets its own text for the run (never a real one in the repository): its brief
    has the text alone on page 3; every other brief says on page 2 where to add one.
    """
    import datetime as dt

    from test_assessment_view import filled

    from indicators import assessments

    year = latest_score_year(warehouse)
    today = dt.date.today().year
    own = tmp_path / "assessments" / str(today) / f"{OWN_TEXT_REGION}.md"
    own.parent.mkdir(parents=True)
    own.write_text(filled(OWN_TEXT_REGION, today), encoding="utf-8")
    monkeypatch.setattr(assessments, "ASSESSMENTS_DIR", tmp_path / "assessments")
    out = tmp_path / "briefs"
    rc = cli.main(["--all", "--lang", lang, "--out", str(out), "--db", str(warehouse)])
    err = capsys.readouterr().err
    assert rc == 0, err
    pdfs = sorted(out.glob("*.pdf"))
    assert sorted(_code(p) for p in pdfs) == REGIONS
    assert all(p.name.endswith(f"_{lang}.pdf") for p in pdfs)
    industry_year = int(sql(warehouse, "SELECT max(period) FROM industry_employment")[0][0])
    for path in pdfs:
        code = _code(path)
        assert path.name.startswith(f"tilannekuva_{year}_"), path.name
        pages = [squash(page.extract_text()) for page in pypdf.PdfReader(path).pages]
        titles = _sections(lang, industry_year)
        text = " ".join(pages)
        places = [text.find(title) for title in titles]
        assert -1 not in places and places == sorted(places), (path.name, places)
        if code != OWN_TEXT_REGION:
            assert len(pages) <= 2, (path.name, len(pages))
            assert f"assessments/{today}/{code}.md" in pages[-1], path.name
            continue
        assert len(pages) == 3, (path.name, len(pages))
        marker = t("assessment.marker", lang, organisation="Testiliitto",
                   date=fmt.date(f"{today}-11-15", lang))
        assert squash(marker) in pages[2] and "kohta 1" in pages[2]
        assert "Testiliitto" not in " ".join(pages[:2])  # the text is on page 3 only
        for other in (*titles[:3], t("brief.sources_title", lang),
                      t("region.key_title", lang)):
            assert other not in pages[2], (path.name, other)  # page 3 holds the text alone
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
