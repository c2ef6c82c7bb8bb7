import io

import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from report_helpers import latest_score_year, pdf_pages, sql, squash
from streamlit.testing.v1 import AppTest

from presentation import format as fmt
from presentation.exports import Download
from presentation.i18n import t
from report.brief import brief_bytes
from ui import data, downloads

SHOWN = pd.DataFrame({"Alue": ["Päijät-Häme"], "Vuosi": [2019],
                      "Työttömyysaste (% työvoimasta)": [11.7123], "Merkintä": [None]})
MACHINE = pd.DataFrame({"indicator_id": ["unemployment_rate"], "area_code": ["MK07"],
                        "period": [2019], "value": [11.7123], "flag": [None],
                        "source_id": ["tyonv_12r5_unemployment_rate"]})


def script():
    import pandas as pd

    from presentation.exports import Download
    from report.brief import brief_bytes
    from ui import data, downloads

    year = data.years()[-1]
    downloads.brief_buttons(data.region_picture("MK07", year, "sv"), brief_bytes)
    frame = pd.DataFrame({"area_code": ["MK07"], "value": [1.0]})
    downloads.data_buttons(Download("tilannekuva_test", "sv", frame, frame))
    empty = pd.DataFrame()
    downloads.data_buttons(Download("empty", "sv", empty, empty), key="empty")
    downloads.table_buttons("sv")


def test_buttons_render_deferred_with_labels(warehouse_env):
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = [e.proto for e in at.get("download_button")]
    labels = [b.label for b in buttons]
    data_labels = [t("download.csv", "sv"), t("download.machine_csv", "sv"),
                   t("download.excel", "sv")]
    assert labels == [t("download.brief_pdf", "sv"), t("download.brief_html", "sv"),
                      *data_labels, *data_labels, t("download.parquet_observations", "sv"),
                      t("download.parquet_scores", "sv")]
    enabled = [b for b in buttons if not b.disabled]
    assert len(enabled) == 7  # the empty frame's three buttons are disabled
    assert all(b.HasField("deferred_file_id") for b in enabled)  # made only on click


def test_generated_files_are_real(warehouse_env):
    path, mtime = data.version()
    year = latest_score_year(warehouse_env)
    picture = data.region_picture("MK07", year, "fi")
    pdf = downloads._brief(path, mtime, ("MK07", year, "fi"), "pdf", picture, brief_bytes)
    assert pdf.startswith(b"%PDF")
    text = squash(" ".join(pdf_pages(pdf)))
    score = sql(warehouse_env, "SELECT score FROM scores WHERE area_code='MK07' AND period=? "
                               "AND dimension='overall'", [year])[0][0]
    assert "Päijät-Häme" in text and fmt.number(score, 1, "fi") in text
    html = downloads._brief(path, mtime, ("MK07", year, "fi"), "html", picture, brief_bytes)
    assert html.startswith(b"<!DOCTYPE html>") and "Päijät-Häme".encode() in html

    download = Download("tilannekuva_test", "fi", SHOWN, MACHINE,
                        {"Työttömyysaste (% työvoimasta)": 1}, ("unemployment_rate",))
    key = downloads._digest(download)
    shown = downloads._data_file(download, "shown_csv", key, path, mtime).decode("utf-8-sig")
    assert shown.splitlines() == ["Alue;Vuosi;Työttömyysaste (% työvoimasta);Merkintä",
                                  "Päijät-Häme;2019;11,7;"]
    machine = downloads._data_file(download, "machine_csv", key, path, mtime)
    assert b",MK07,P\xc3\xa4ij\xc3\xa4t-H\xc3\xa4me,2019,11.7123," in machine
    assert b"11.7123" in machine
    xlsx = downloads._data_file(download, "xlsx", key, path, mtime)
    wb = load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames == ["Tiedot", "Kuvaus"]
    assert [c.value for c in wb["Tiedot"][1]] == list(SHOWN.columns)
    meta = {row[0]: row[1] for row in wb["Kuvaus"].iter_rows(values_only=True) if row[0]}
    stored = sql(warehouse_env, "SELECT DISTINCT method FROM scores")[0][0]
    assert meta["Menetelmäversio"] == stored.split(":")[0]
    cells = {c for row in wb["Kuvaus"].iter_rows(values_only=True) for c in row if c}
    assert "tyonv_12r5_unemployment_rate" in cells  # the sources of the machine rows are described

    parquet = downloads._table_file(path, mtime, "observations")
    n = sql(warehouse_env, "SELECT count(*) FROM observations")[0][0]
    assert pq.read_table(io.BytesIO(parquet)).num_rows == n


def test_a_changed_download_gets_a_new_key():
    one = Download("x", "fi", SHOWN, MACHINE)
    two = Download("x", "fi", SHOWN, MACHINE.assign(value=[1.0]))
    assert downloads._digest(one) != downloads._digest(two)
    assert downloads._digest(one) == downloads._digest(Download("x", "fi", SHOWN.copy(),
                                                                MACHINE.copy()))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_button_texts_exist_in_every_language(lang):
    for key in ("brief_pdf", "brief_html", "brief_help", "csv", "csv_help", "machine_csv",
                "machine_csv_help", "excel", "excel_help", "parquet_observations",
                "parquet_scores", "parquet_help"):
        assert t(f"download.{key}", lang)
