"""Download buttons: the region brief (PDF, HTML), the data shown (two CSVs, Excel), tables.

Pages call one function per place. The bytes are made only when the user clicks (Streamlit's
deferred download), so a page run stays fast, and they are cached per warehouse version, so a
second click, or another user asking for the same file, gets them at once. The brief's renderer
is passed in by the page (ui does not import report, nor report ui).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from presentation import exports
from presentation.i18n import t
from presentation.region import RegionPicture
from ui import data

MIMES = {"pdf": "application/pdf", "html": "text/html"}


@st.cache_resource(show_spinner=False, max_entries=128)
def _brief(path: str, mtime: int, key: tuple, kind: str, _picture: RegionPicture,
           _render: Callable[[RegionPicture, str], bytes]) -> bytes:
    """Return one brief's bytes (key: region, year, language, date of the picture)."""
    return _render(_picture, kind)


def brief_buttons(picture: RegionPicture,
                  render: Callable[[RegionPicture, str], bytes]) -> None:
    """Show 'download brief' buttons (PDF, HTML) for a region picture."""
    path, mtime = data.version()
    key = (picture.area_code, picture.year, picture.lang, picture.today)
    row = st.container(horizontal=True, wrap=True)
    for kind, label in (("pdf", "download.brief_pdf"), ("html", "download.brief_html")):
        with row:
            st.download_button(
                t(label, picture.lang),
                data=lambda kind=kind: _brief(path, mtime, key, kind, picture, render),
                file_name=f"{picture.file_stem}.{kind}", mime=MIMES[kind],
                key=f"dl_brief_{kind}", help=t("download.brief_help", picture.lang),
                on_click="ignore",
                icon=":material/picture_as_pdf:" if kind == "pdf" else ":material/html:",
                width="content")


@st.cache_data(show_spinner=False, max_entries=64)
def _data_file(_download: exports.Download, kind: str, key: tuple, path: str,
               mtime: int) -> bytes:
    """Return the data shown as the shown CSV, the machine CSV or Excel bytes."""
    download = _download
    if kind == "shown_csv":
        return exports.locale_csv_bytes(download.shown, download.decimals, download.lang)
    machine = exports.labelled(download.machine, download.lang, data.areas(), data.indicators())
    if kind == "machine_csv":
        return exports.csv_bytes(machine)
    source_ids = (sorted(set(download.machine["source_id"].dropna()))
                  if "source_id" in download.machine else None)
    method = data.frames().scores["method"].dropna()
    return exports.excel_bytes(download.shown, download.lang, data.indicators(), data.sources(),
                               indicator_ids=list(download.indicator_ids) or None,
                               meta=dict(data.meta()), source_ids=source_ids,
                               decimals=download.decimals,
                               method_version=str(method.iloc[0]).split(":", 1)[0]
                               if len(method) else None)


def _digest(download: exports.Download) -> tuple:
    """Return a key that changes whenever the downloaded data change."""
    return (download.name, download.lang,
            int(pd.util.hash_pandas_object(download.machine, index=False).sum()),
            int(pd.util.hash_pandas_object(download.shown, index=False).sum()))


def data_buttons(download: exports.Download, key: str = "data") -> None:
    """Show three buttons for the data shown: CSV as shown, CSV for tools, Excel."""
    path, mtime = data.version()
    lang = download.lang
    stamp = dt.date.today().isoformat()
    row = st.container(horizontal=True, wrap=True)
    for kind, label, help_key, mime, ext in (
            ("shown_csv", "download.csv", "download.csv_help", exports.CSV_MIME, "csv"),
            ("machine_csv", "download.machine_csv", "download.machine_csv_help",
             exports.CSV_MIME, "csv"),
            ("xlsx", "download.excel", "download.excel_help", exports.EXCEL_MIME, "xlsx")):
        suffix = "_data" if kind == "machine_csv" else ""
        with row:
            st.download_button(
                t(label, lang),
                data=lambda kind=kind: _data_file(download, kind, _digest(download), path,
                                                  mtime),
                file_name=f"{download.name}{suffix}_{stamp}.{ext}", mime=mime,
                key=f"dl_{key}_{kind}", help=t(help_key, lang), on_click="ignore",
                disabled=download.empty, icon=":material/download:", width="content")


@st.cache_data(show_spinner=False, max_entries=4)
def _table_file(path: str, mtime: int, table: str) -> bytes:
    """Return a whole warehouse table (observations or scores) as Parquet bytes."""
    frame = data.observations() if table == "observations" else data.scores()
    return exports.parquet_bytes(frame)


def table_buttons(lang: str) -> None:
    """Show Parquet buttons for the whole observations and scores tables."""
    path, mtime = data.version()
    row = st.container(horizontal=True, wrap=True)
    for table, label in (("observations", "download.parquet_observations"),
                         ("scores", "download.parquet_scores")):
        with row:
            st.download_button(
                t(label, lang), data=lambda table=table: _table_file(path, mtime, table),
                file_name=f"tilannekuva_{table}.parquet", mime=exports.PARQUET_MIME,
                key=f"dl_table_{table}", help=t("download.parquet_help", lang),
                on_click="ignore", icon=":material/dataset:", width="content")
