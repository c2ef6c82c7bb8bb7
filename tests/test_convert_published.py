import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.published import (
    check_sums,
    count_ratio,
    fill_with_sums,
    municipality_counts,
    published,
)
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())
# Pielisen Karjala (SK125): Lieksa 422, Nurmes 541; 12bs 2025 counts (kaste5T8, vaesto_15_)
PIELISEN_KARJALA = {"422": (1869, 8962), "541": (1604, 7806)}


def frame(rows, columns=("count", "base")):
    """area_code, period, the columns and their (empty) symbol columns."""
    data = pd.DataFrame(rows, columns=["area_code", *columns])
    data["period"] = 2025
    for column in columns:
        data[f"{column}_symbol"] = None
    return data


def test_published_keeps_figures_and_flags_confidential_cells():
    data = frame([("167", 34.1, None), ("035", None, None), ("707", None, None)],
                 ("share", "other"))
    data.loc[1, "share_symbol"] = "..."
    data.loc[2, "share_symbol"] = "."
    obs = published(data, "share", "x", "s").set_index("area_code")
    assert obs.loc["167", "value"] == 34.1 and obs.loc["167", "flag"] is None
    assert pd.isna(obs.loc["035", "value"]) and obs.loc["035", "flag"] == "confidential"
    assert "707" not in obs.index  # '.': no figure, no row


def test_count_ratio_is_area_by_area_and_confidential_when_a_count_is():
    data = frame([("MK12", 7840, 158079), ("035", None, 459)])
    data.loc[1, "count_symbol"] = "..."
    obs = count_ratio(data, "count", "base", "x", "s").set_index("area_code")
    assert obs.loc["MK12", "value"] == pytest.approx(7840 / 158079 * 100, abs=1e-4)
    assert obs.loc["035", "flag"] == "confidential" and pd.isna(obs.loc["035", "value"])


def test_fill_with_sums_adds_only_the_areas_the_table_leaves_out():
    rows = [(code, count, base) for code, (count, base) in PIELISEN_KARJALA.items()]
    data = frame(rows + [("MK12", 41063, 141279)])
    own = published(data.assign(share=[20.9, 20.5, 29.1]).assign(share_symbol=None), "share",
                    "x", "s")
    obs = fill_with_sums(own, data, "count", "base", DIVISION, "x", "s").set_index("area_code")
    assert obs.loc["SK125", "value"] == pytest.approx((1869 + 1604) / (8962 + 7806) * 100,
                                                      abs=1e-4)
    assert obs.loc["MK12", "value"] == 29.1  # published, not the sum of this excerpt
    assert obs.loc["541", "value"] == 20.5
    assert obs.index.is_unique
    # without Nurmes the sub-region's sum would be incomplete: no figure rather than a wrong one
    partial = data.loc[data.area_code != "541"]
    obs = fill_with_sums(own.loc[own.area_code != "541"], partial, "count", "base", DIVISION,
                         "x", "s")
    assert "SK125" not in set(obs.area_code)


def test_municipality_counts():
    counts = municipality_counts(DIVISION)
    assert counts["SSS"] == 308 and counts["MK12"] == 13 and counts["SK125"] == 2


def test_check_sums_compares_complete_areas_only():
    rows = [(code, count, base) for code, (count, base) in PIELISEN_KARJALA.items()]
    check_sums(frame(rows + [("SK125", 3473, 16768), ("MK12", 1, 1)]), ["count", "base"],
               DIVISION, "12bs")  # MK12 is incomplete in this excerpt: not compared
    with pytest.raises(ConvertError, match="12bs: published count is not the sum of the "
                                           "municipalities for SK125 2025"):
        check_sums(frame(rows + [("SK125", 3472, 16768)]), ["count", "base"], DIVISION, "12bs")
