import pandas as pd
import pytest

from etl.convert.errors import ConvertError
from etl.convert.raw import read_raw


def test_reads_csv_and_parquet_by_suffix(tmp_path):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_parquet(tmp_path / "t.parquet")
    for name in ("t.csv", "t.parquet"):
        got = read_raw(tmp_path / name, "test file", {"a"})
        assert list(got["a"]) == [1, 2] and list(got["b"]) == ["x", "y"]


def test_missing_file_names_what_and_path(tmp_path):
    with pytest.raises(ConvertError, match="test file missing: .*nope.csv"):
        read_raw(tmp_path / "nope.csv", "test file", {"a"})


def test_missing_columns_are_listed_sorted(tmp_path):
    pd.DataFrame({"a": [1]}).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(ConvertError, match=r"t.csv: columns missing \['b', 'c'\]"):
        read_raw(tmp_path / "t.csv", "test file", {"c", "a", "b"})
