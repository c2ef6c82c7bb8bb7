from pathlib import Path

from etl.convert.__main__ import main
from indicators.regions import REGIONS_CSV

FIXTURE_RAW = Path(__file__).parent / "fixtures" / "raw"


def test_missing_raw_folder_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 1
    assert "raw folder not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_failed_conversion_writes_nothing(tmp_path, capsys):
    before = REGIONS_CSV.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    (out / "observations.parquet").write_bytes(b"old")
    # the fixture key is an excerpt: declared successors such as Kurikka are not in it
    assert main([str(FIXTURE_RAW), "--out", str(out)]) == 1
    assert "convert failed" in capsys.readouterr().err
    assert REGIONS_CSV.read_bytes() == before
    assert (out / "observations.parquet").read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["observations.parquet"]
