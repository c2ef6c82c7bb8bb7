from pathlib import Path

import pandas as pd
import pytest

from etl.convert.division import Division
from etl.convert.employed import RAW_FILE, convert_employed, read_employed
from indicators.regions import registry_frame, successors_frame

RAW = Path(__file__).parent / "fixtures" / "raw"
DIVISION = Division(registry_frame(), successors_frame())


def test_change_from_summed_counts():
    raw = read_employed(RAW / RAW_FILE)
    obs = convert_employed(raw, DIVISION).set_index(["area_code", "period"])["value"]
    # excerpt (industries A, C, Q): MK04 36291 -> 35552, MK12 25288 -> 24992
    assert obs[("MK04", 2019)] == pytest.approx((35552 / 36291 - 1) * 100, abs=1e-4)
    assert obs[("SSS", 2019)] == pytest.approx(((35552 + 24992) / (36291 + 25288) - 1) * 100,
                                                abs=1e-4)
    assert ("MK04", 2021) not in obs.index  # 2020 is not in the excerpt
    assert ("MK04", 2018) not in obs.index


def test_sexes_and_industries_are_summed():
    raw = pd.read_parquet(RAW / RAW_FILE)
    assert set(raw.Sex) == {"1", "2"} and len(set(raw.Industry)) == 3
    assert read_employed(RAW / RAW_FILE)["employed"].sum() == raw["Value"].sum()
