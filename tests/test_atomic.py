"""warehouse/atomic.py: a file is replaced whole or not at all, and no temp file is left behind."""

import pytest

from warehouse.atomic import replacing, temp_path


def test_a_completed_write_replaces_the_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "data.parquet"
    with replacing(target) as tmp:
        assert tmp == temp_path(target) and tmp.parent == target.parent
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.parquet"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp_and_its_log(tmp_path):
    target = tmp_path / "w.duckdb"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing(target) as tmp:
        tmp.write_text("half")
        tmp.with_name(tmp.name + ".wal").write_text("log")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_a_temp_left_by_an_earlier_write_of_this_process_is_replaced(tmp_path):
    target = tmp_path / "x.csv"
    temp_path(target).write_text("stale")
    with replacing(target) as tmp:
        assert not tmp.exists()
        tmp.write_text("fresh")
    assert target.read_text() == "fresh"
