"""Download buttons for the pages: the region brief (PDF, HTML), the data shown, whole tables.

Pages call one function per place (one line each). The bytes are made only when the user clicks
(Streamlit's deferred download), so a page run stays fast, and they are cached with
st.cache_data per warehouse version (path + modification time), so a second click, or another
user asking for the same brief, gets them at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from etl import query
from report import exports
from report.content import brief_file_stem, build_content
from report.frames import BriefFrames, read_frames
from report.texts import rt
from ui import data

PDF_MIME = "application/pdf"
HTML_MIME = "text/html"


@st.cache_resource(show_spinner=False, max_entries=2)
def _frames(path: str, mtime: int) -> BriefFrames:
    """Return the brief frames of one warehouse version (read once, shared read-only)."""
    con = query.connect(path)
    try:
        return read_frames(con)
    finally:
        con.close()


@st.cache_data(show_spinner=False, max_entries=128)
def _brief(path: str, mtime: int, area_code: str, lang: str, year: int | None,
           kind: str) -> bytes:
    """Return one brief as PDF or HTML bytes."""
    from report.html import html_bytes
    from report.pdf import pdf_bytes
    from report.static_charts import brief_charts

    content = build_content(_frames(path, mtime), area_code, lang, year)
    charts = brief_charts(content)
    return pdf_bytes(content, charts) if kind == "pdf" else html_bytes(content, charts)


@st.cache_data(show_spinner=False, max_entries=64)
def _data_file(frame: pd.DataFrame, kind: str, lang: str, indicator_ids: tuple[str, ...],
               path: str, mtime: int) -> bytes:
    """Return the data shown as CSV or Excel bytes (labelled with names and units in lang)."""
    labelled = exports.labelled(frame, lang, data.areas(), data.indicators())
    if kind == "csv":
        return exports.csv_bytes(labelled)
    meta = dict(data.meta())
    return exports.excel_bytes(labelled, lang, data.indicators(), data.sources(),
                               indicator_ids=list(indicator_ids) or None, meta=meta)


@st.cache_data(show_spinner=False, max_entries=4)
def _table_file(path: str, mtime: int, table: str) -> bytes:
    """Return a whole warehouse table (observations or scores) as Parquet bytes."""
    frame = data.observations() if table == "observations" else data.scores()
    return exports.parquet_bytes(frame)


def brief_buttons(area_code: str, lang: str, year: int | None, region_name: str) -> None:
    """Show 'download brief' buttons (PDF, HTML) for a region, language and year."""
    path, mtime = data.version()
    stem = brief_file_stem(year if year is not None else 0, area_code, region_name, lang)
    disabled = year is None
    cols = st.columns(2)
    for col, kind, label, mime in ((cols[0], "pdf", "download.brief_pdf", PDF_MIME),
                                   (cols[1], "html", "download.brief_html", HTML_MIME)):
        with col:
            st.download_button(
                rt(label, lang),
                data=lambda kind=kind: _brief(path, mtime, area_code, lang, year, kind),
                file_name=f"{stem}.{kind}", mime=mime, key=f"dl_brief_{kind}",
                help=rt("download.brief_help", lang), on_click="ignore", disabled=disabled,
                icon=":material/picture_as_pdf:" if kind == "pdf" else ":material/html:")


def data_buttons(frame: pd.DataFrame, lang: str, name: str,
                 indicator_ids: Sequence[str] | None = None, key: str = "data") -> None:
    """Show CSV and Excel buttons for the data shown (a frame as the query module returns it).

    name: the file name without extension (e.g. 'tilannekuva_unemployment_rate');
    indicator_ids: the indicators whose metadata the Excel sheet describes (default: the frame's).
    """
    path, mtime = data.version()
    ids = tuple(indicator_ids or ())
    stamp = dt.date.today().isoformat()
    cols = st.columns(2)
    for col, kind, label, help_key, mime, ext in (
            (cols[0], "csv", "download.csv", "download.csv_help", exports.CSV_MIME, "csv"),
            (cols[1], "xlsx", "download.excel", "download.excel_help", exports.EXCEL_MIME,
             "xlsx")):
        with col:
            st.download_button(
                rt(label, lang),
                data=lambda kind=kind: _data_file(frame, kind, lang, ids, path, mtime),
                file_name=f"{name}_{stamp}.{ext}", mime=mime, key=f"dl_{key}_{kind}",
                help=rt(help_key, lang), on_click="ignore", disabled=frame.empty,
                icon=":material/download:")


def table_buttons(lang: str) -> None:
    """Show Parquet buttons for the whole observations and scores tables."""
    path, mtime = data.version()
    cols = st.columns(2)
    for col, table, label in ((cols[0], "observations", "download.parquet_observations"),
                              (cols[1], "scores", "download.parquet_scores")):
        with col:
            st.download_button(
                rt(label, lang), data=lambda table=table: _table_file(path, mtime, table),
                file_name=f"tilannekuva_{table}.parquet", mime=exports.PARQUET_MIME,
                key=f"dl_table_{table}", help=rt("download.parquet_help", lang),
                on_click="ignore", icon=":material/dataset:")
