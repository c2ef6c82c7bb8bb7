import csv

import pytest
from raw_excerpts import RAW

from etl.convert.division import Division
from etl.convert.errors import ConvertError
from etl.convert.sotkanet_netmigration import (
    RAW_FILE,
    SOURCE_ID,
    convert_netmigration,
    read_netmigration,
)
from indicators.regions import registry_frame, successors_frame

DIVISION = Division(registry_frame(), successors_frame())


def published():
    with open(RAW / RAW_FILE, encoding="utf-8-sig") as fh:
        return {row["tunnus"]: row for row in csv.DictReader(fh)}


def test_municipal_rates_as_published_for_every_year():
    obs = convert_netmigration(read_netmigration(RAW / RAW_FILE), DIVISION)
    rows = published()
    by = obs.set_index(["area_code", "period"])["value"]
    assert by[("167", 2024)] == float(rows["167"]["nm2024"])
    assert by[("890", 1990)] == float(rows["890"]["nm1990"]) == -23.0
    assert by[("091", 2010)] == float(rows["091"]["nm2010"])
    assert len(obs) == len(rows) * 35 and set(obs.period) == set(range(1990, 2025))
    assert (obs.source_id == SOURCE_ID).all()


def test_rates_are_never_averaged_into_larger_areas():
    obs = convert_netmigration(read_netmigration(RAW / RAW_FILE), DIVISION)
    assert obs.area_code.str.fullmatch(r"\d{3}").all()


def test_codes_must_be_on_todays_division(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("nimi,tunnus,nm2024\nPertunmaa,588,-3.1\n", encoding="utf-8")
    with pytest.raises(ConvertError, match=r"not on today's division: \['588'\]"):
        convert_netmigration(read_netmigration(path), DIVISION)


@pytest.mark.parametrize("text, message", [
    ("nimi,tunnus,nm2024\nJoensuu,167,n/a\n", "not a number"),
    ("nimi,code,nm2024\nJoensuu,167,1\n", "expected columns tunnus"),
    ("nimi,tunnus\nJoensuu,167\n", "expected columns tunnus"),
])
def test_damaged_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "n.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConvertError, match=f"n.csv: .*{message}"):
        read_netmigration(path)
