import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.jsonstat import JsonStatError, parse_jsonstat

FIX = Path(__file__).parent / "fixtures" / "pxweb"
RECORDED = FIX / "pxwebpy_response_vaerak_11rc_sv_jsonstat2.json"


def test_recorded_statfin_answer_matches_pxwebpy_records():
    doc = json.loads(RECORDED.read_bytes())
    frame = parse_jsonstat(RECORDED.read_bytes())
    records = json.loads((FIX / "pxwebpy_result_vaerak_11rc_sv_records.json").read_text("utf-8"))
    assert len(frame) == len(records) == 90
    labels = {dim: doc["dimension"][dim]["category"]["label"] for dim in doc["id"]}
    for row, rec in zip(frame.itertuples(index=False), records, strict=True):
        assert labels["Vuosi"][row.Vuosi] == rec["År"]
        assert labels["Sukupuoli"][row.Sukupuoli] == rec["Kön"]
        assert labels["Ikä"][row.Ikä] == rec["Ålder"]
        assert row.value == rec["value"]
    assert frame["flag"].isna().all()
    assert frame.attrs["updated"] == "2023-03-31T05:00:00Z"
    # spot check one real cell: women aged 30-34 in 2022
    cell = frame[(frame.Vuosi == "2022") & (frame.Sukupuoli == "2") & (frame.Ikä == "30-34")]
    assert cell["value"].item() == 179506


def dataset(sizes, values, status=None, index_as_list=False):
    ids = [f"d{i}" for i in range(len(sizes))]
    dims = {}
    for d, n in zip(ids, sizes, strict=True):
        codes = [f"{d}c{j}" for j in range(n)]
        index = codes if index_as_list else {c: j for j, c in enumerate(codes)}
        dims[d] = {"category": {"index": index}}
    doc = {"version": "2.0", "class": "dataset", "id": ids, "size": sizes,
           "dimension": dims, "value": values}
    if status is not None:
        doc["status"] = status
    return doc


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.booleans())
def test_rows_follow_row_major_order(sizes, as_list):
    n = int(np.prod(sizes))
    frame = parse_jsonstat(dataset(sizes, list(range(n)), index_as_list=as_list))
    expected = list(itertools.product(*[[f"d{i}c{j}" for j in range(s)]
                                        for i, s in enumerate(sizes)]))
    got = list(zip(*[frame[f"d{i}"].astype(str) for i in range(len(sizes))], strict=True))
    assert got == expected
    assert frame["value"].tolist() == list(range(n))


def test_statfin_symbols_become_null_with_flag_never_zero():
    values = [1.5, None, None, None, None, 2.0]
    status = {"1": ".", "2": "..", "3": "...", "4": "-", "5": "p"}
    frame = parse_jsonstat(dataset([6], values, status))
    assert np.isnan(frame["value"][1]) and frame["flag"][1] == "missing"
    assert np.isnan(frame["value"][2]) and frame["flag"][2] == "confidential"
    assert np.isnan(frame["value"][3]) and frame["flag"][3] == "confidential"
    assert frame["value"][4] == 0.0 and frame["flag"][4] is None  # '-' = magnitude nil
    assert frame["value"][5] == 2.0 and frame["flag"][5] == "p"
    assert frame["value"][0] == 1.5 and frame["flag"][0] is None


def test_symbols_given_as_text_values_are_missing_not_zero():
    frame = parse_jsonstat(dataset([3], [4, "..", "."]))
    assert frame["value"][0] == 4
    assert np.isnan(frame["value"][1]) and frame["flag"][1] == "confidential"
    assert np.isnan(frame["value"][2]) and frame["flag"][2] == "missing"


def test_null_without_status_is_flagged_missing():
    frame = parse_jsonstat(dataset([2], [None, 3]))
    assert frame["flag"].tolist() == ["missing", None]


def test_sparse_value_object():
    frame = parse_jsonstat(dataset([2, 2], {"0": 5, "3": 7}))
    assert frame["value"].tolist()[0] == 5 and frame["value"].tolist()[3] == 7
    assert frame["flag"].tolist() == [None, "missing", "missing", None]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(value=[1, 2, 3]), "4 cells"),
    (lambda d: d.pop("value"), "no 'value'"),
    (lambda d: d.update(size=[2]), "different lengths"),
    (lambda d: d["dimension"].pop("d1"), "not described"),
    (lambda d: d.update({"class": "collection"}), "expected class"),
    (lambda d: d.update(size=[2, 3]), "size says 3"),
])
def test_broken_documents_raise_clearly(mutate, message):
    doc = dataset([2, 2], [1, 2, 3, 4])
    mutate(doc)
    with pytest.raises(JsonStatError, match=message):
        parse_jsonstat(doc)


def test_truncated_bytes_raise():
    raw = RECORDED.read_bytes()
    with pytest.raises(JsonStatError, match="not valid JSON"):
        parse_jsonstat(raw[: len(raw) // 2])
