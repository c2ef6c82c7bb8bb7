import os
import time

import pandas as pd
import pytest

from ui import data
from warehouse.writer import write_warehouse


def areas(codes):
    return pd.DataFrame({"code": codes, "level": ["region"] * len(codes),
                         "name_fi": codes, "name_sv": codes, "name_en": codes,
                         "sort_order": range(len(codes))})


def test_missing_warehouse_raises_with_how_to(tmp_path, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_DB", str(tmp_path / "none.duckdb"))
    with pytest.raises(data.WarehouseMissing, match="make run"):
        data.version()
    with pytest.raises(data.WarehouseMissing):
        data.areas()


def test_a_rebuilt_warehouse_is_picked_up_without_restart(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    monkeypatch.setenv("TILANNEKUVA_DB", str(path))
    write_warehouse(path, {"areas": areas(["MK01", "MK02"])}, {"built_at": "first"})
    assert list(data.areas()["code"]) == ["MK01", "MK02"]
    assert data.meta()["built_at"] == "first"
    time.sleep(0.01)
    write_warehouse(path, {"areas": areas(["MK04"])}, {"built_at": "second"})  # atomic rename
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert list(data.areas()["code"]) == ["MK04"]
    assert data.meta()["built_at"] == "second"


def test_cached_frames_are_copies(warehouse_env):
    first = data.areas()
    first.loc[0, "name_fi"] = "changed"
    assert data.areas().loc[0, "name_fi"] != "changed"


def test_lookups_and_years(warehouse_env):
    look = data.lookups("sv")
    assert len(look["regions"]) == 19 and look["names"]["MK01"] == "Nyland"
    assert look["dim_labels"]["osaaminen"] == "Kompetens"
    assert data.years() == sorted(data.years()) and data.years()


def test_map_paths_cover_the_regions(warehouse_env):
    paths = data.map_paths()
    assert set(paths) == set(data.lookups("fi")["regions"])
    coarse = data.map_paths(detail=False)
    assert sum(len(x) for x, _ in coarse.values()) < sum(len(x) for x, _ in paths.values())


def test_custom_scores_default_equals_stored_ranks(warehouse_env):
    year = data.years()[-1]
    custom = data.custom_scores("goalposts", "arithmetic", None, None, year)
    stored = data.scores(period=year, dimension="overall")
    mine = custom[custom["dimension"] == "overall"].set_index("area_code")["rank"]
    theirs = stored.set_index("area_code")["rank"]
    regions = data.lookups("fi")["regions"]
    assert mine.reindex(regions).astype("Float64").equals(
        theirs.reindex(regions).astype("Float64"))


def test_custom_scores_reject_all_zero_weights(warehouse_env):
    from indicators.scoring import WeightsError

    dims = {d: 0.0 for d in data.dimensions()["id"]}
    with pytest.raises(WeightsError):
        data.custom_scores("goalposts", "arithmetic", dims, None, data.years()[-1])


def test_methodology_part_per_language_and_missing_file(tmp_path, monkeypatch):
    doc = tmp_path / "methodology.md"
    doc.write_text("# M\n\nJohdanto.\n\n## Suomeksi\n\nMenetelmä.\n\n## På svenska\n\n"
                   "Metod.\n\n## In English\n\nMethod.\n", encoding="utf-8")
    monkeypatch.setattr(data, "METHODOLOGY_PATH", doc)
    assert "Metod." in data.methodology("sv")[0]
    assert "Metod." not in data.methodology("en")[0]
    assert "Method." in data.methodology("en")[0]
    assert "Johdanto." in data.methodology("fi")[0]  # the Finnish intro only in Finnish
    assert "Johdanto." not in data.methodology("sv")[0] + data.methodology("en")[0]
    monkeypatch.setattr(data, "METHODOLOGY_PATH", tmp_path / "gone.md")
    assert data.methodology("fi") is None
