"""Data downloads as bytes: two CSVs, Excel (data + metadata sheet), Parquet; pure functions.

Two CSVs of the same data, both UTF-8 *with* a byte-order mark (Excel then shows ä, ö and å;
pandas, R, DuckDB and LibreOffice skip it) and an empty field for a missing value:
- the *shown* CSV is what the page shows, in its language: the headings as on the page, numbers
  rounded to the decimals shown, and in Finnish and Swedish a semicolon between fields and a
  decimal comma, so that a double-click opens it in columns in a Finnish or Swedish Excel;
- the *machine* CSV is language-independent for tools: ids, comma separator, decimal point, full
  precision.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from presentation import format as fmt
from presentation.i18n import t

CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM (see the module docstring)
CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARQUET_MIME = "application/vnd.apache.parquet"
INDICATOR_META_COLUMNS = ("id", "dimension", "label", "description", "unit", "direction",
                          "decimals", "source_publisher", "source_table", "source_selection",
                          "source_licence")
SOURCE_META_COLUMNS = ("source_id", "publisher", "table_id", "title", "licence", "origin",
                       "derivation", "query", "updated", "fetched_at")
LOCALE_SEPARATORS = {"fi": ";", "sv": ";", "en": ","}
HEADER_FILL = PatternFill("solid", start_color="E8F0F7", end_color="E8F0F7")
BOLD = Font(bold=True)
MAX_WIDTH = 60


class ExportError(ValueError):
    """Raised when a frame cannot be exported (not a DataFrame, or duplicate column names)."""


@dataclass(frozen=True)
class Download:
    """The data a view offers for download: as shown (language, decimals) and for machines.

    name: the file name without date and extension; shown: the columns as the page shows them
    (headings in the language, numbers unrounded); decimals: the shown decimals of its numeric
    columns; machine: the rows with ids and full precision, as the read API returns them.
    """

    name: str
    lang: str
    shown: pd.DataFrame
    machine: pd.DataFrame
    decimals: Mapping[str, int] = field(default_factory=dict)
    indicator_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Return True when there is nothing to download."""
        return self.machine.empty


def _check(frame: object) -> pd.DataFrame:
    """Return the frame when it can be exported; raise ExportError with the reason otherwise."""
    if not isinstance(frame, pd.DataFrame):
        raise ExportError(f"Expected a pandas DataFrame to export, got {type(frame).__name__}")
    if frame.columns.duplicated().any():
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ExportError(f"The frame has duplicate column names: {', '.join(dupes)}")
    return frame


def labelled(frame: pd.DataFrame, lang: str, areas: pd.DataFrame | None = None,
             indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the frame with readable columns added in lang: area_name, indicator_label, unit.

    area_name is left out when the frame already names its areas (a 'name' column).

    The original columns and values are kept exactly as they are (ids, full-precision numbers).
    """
    out = _check(frame).copy()
    if areas is not None and "area_code" in out and not {"area_name", "name"} & set(out):
        names = dict(zip(areas["code"], areas[f"name_{lang}"], strict=True))
        out.insert(out.columns.get_loc("area_code") + 1, "area_name",
                   out["area_code"].map(names))
    if indicators is not None and "indicator_id" in out and "indicator_label" not in out:
        ind = indicators.set_index("id")
        at = out.columns.get_loc("indicator_id") + 1
        out.insert(at, "indicator_label", out["indicator_id"].map(ind[f"label_{lang}"]))
        if "unit" not in out:
            out.insert(at + 1, "unit", out["indicator_id"].map(ind[f"unit_{lang}"]))
    return out


def locale_csv_bytes(frame: pd.DataFrame, decimals: Mapping[str, int], lang: str) -> bytes:
    """Return the frame as the language's CSV: its separator and decimal mark, shown decimals.

    Numbers carry no thousands separator (a spreadsheet would read it as text); a missing value
    is an empty field; text is written as it is (quoted where needed).
    """
    out = _check(frame).copy()
    mark = "," if LOCALE_SEPARATORS.get(lang, ",") == ";" else "."
    for column, places in decimals.items():
        if column not in out:
            continue
        out[column] = ["" if fmt.is_missing(v) else
                       f"{round(float(v), int(places)) + 0.0:.{int(places)}f}".replace(".", mark)
                       for v in out[column]]
    text = out.to_csv(index=False, sep=LOCALE_SEPARATORS.get(lang, ","), lineterminator="\n",
                      na_rep="")
    return text.encode(CSV_ENCODING)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return the frame as CSV bytes: UTF-8 with BOM, comma, decimal point, '' for missing."""
    text = _check(frame).to_csv(index=False, lineterminator="\n", na_rep="")
    return text.encode(CSV_ENCODING)


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Return the frame as Parquet bytes (pyarrow, no index), types and NULLs preserved."""
    buffer = io.BytesIO()
    _check(frame).to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def _cell(value: object) -> object:
    """Return a value openpyxl can store: None for missing, plain Python numbers and text."""
    if fmt.is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    return str(value)


def _write_table(ws, frame: pd.DataFrame, start_row: int) -> int:
    """Write a header row and the frame's rows from start_row; return the next free row."""
    for j, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=str(name))
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=start_row + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=_cell(value))
    return start_row + len(frame) + 1


def _widths(ws, frame: pd.DataFrame) -> None:
    """Set column widths from the header and a sample of values (capped)."""
    for j, name in enumerate(frame.columns, start=1):
        sample = [str(name), *(str(v) for v in frame.iloc[:200, j - 1].tolist())]
        width = min(MAX_WIDTH, max(len(s) for s in sample) + 2)
        ws.column_dimensions[get_column_letter(j)].width = width


def indicator_metadata(indicators: pd.DataFrame, lang: str,
                       indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the indicators' metadata in lang: label, description, unit, direction, source."""
    part = indicators if indicator_ids is None else indicators[
        indicators["id"].isin(list(indicator_ids))]
    out = pd.DataFrame({
        "id": part["id"], "dimension": part["dimension"], "label": part[f"label_{lang}"],
        "description": part[f"description_{lang}"], "unit": part[f"unit_{lang}"],
        "direction": part["direction"], "decimals": part["decimals"],
        "source_publisher": part["source_publisher"], "source_table": part["source_table"],
        "source_selection": part["source_selection"], "source_licence": part["source_licence"],
    })
    return out[list(INDICATOR_META_COLUMNS)].reset_index(drop=True)


def source_metadata(sources: pd.DataFrame, source_ids: Sequence[str] | None = None
                    ) -> pd.DataFrame:
    """Return the source tables (publisher, table, title, licence, origin, dates)."""
    part = sources if source_ids is None else sources[sources["source_id"].isin(list(source_ids))]
    cols = [c for c in SOURCE_META_COLUMNS if c in part.columns]
    return part[cols].reset_index(drop=True)


def excel_bytes(frame: pd.DataFrame, lang: str, indicators: pd.DataFrame,
                sources: pd.DataFrame, indicator_ids: Sequence[str] | None = None,
                meta: Mapping[str, str] | None = None,
                generated: dt.datetime | None = None, method_version: str | None = None,
                source_ids: Sequence[str] | None = None,
                decimals: Mapping[str, int] | None = None) -> bytes:
    """Return an .xlsx with the data sheet and a metadata sheet.

    Metadata: generation time, warehouse build time, method version (given, else the meta's),
    the licence note, then the indicators (descriptions, units, sources, licences) and the
    source tables used (source_ids, else the frame's). Numbers stay numbers at full precision,
    shown with the given decimals; a missing value is an empty cell. indicator_ids defaults to
    the frame's indicator_id values (all indicators when the frame has none).
    """
    frame = _check(frame)
    if indicator_ids is None and "indicator_id" in frame:
        indicator_ids = sorted(set(frame["indicator_id"].dropna()))
    used_sources = (sorted(set(source_ids)) if source_ids is not None
                    else sorted(set(frame["source_id"].dropna())) if "source_id" in frame
                    else None)
    meta = dict(meta or {})
    wb = Workbook()
    data = wb.active
    data.title = t("export.sheet_data", lang)
    _write_table(data, frame, 1)
    for column, places in (decimals or {}).items():
        if column in frame.columns:
            letter = get_column_letter(list(frame.columns).index(column) + 1)
            style = "0" if int(places) <= 0 else "0." + "0" * int(places)
            for (cell,) in data[f"{letter}2:{letter}{len(frame) + 1}"]:
                cell.number_format = style
    data.freeze_panes = "A2"
    _widths(data, frame)

    sheet = wb.create_sheet(t("export.sheet_meta", lang))
    when = (generated or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    header = [
        (t("export.title", lang), None),
        (t("export.generated", lang), when),
        (t("export.built", lang), meta.get("built_at")),
        (t("export.method", lang), method_version or meta.get("method_version")),
        (t("export.licence_note", lang), None),
    ]
    for i, (key, value) in enumerate(header, start=1):
        sheet.cell(row=i, column=1, value=key).font = BOLD if i == 1 else Font()
        sheet.cell(row=i, column=2, value=_cell(value))
    row = len(header) + 2
    sheet.cell(row=row, column=1, value=t("export.indicators_title", lang)).font = BOLD
    ind_meta = indicator_metadata(indicators, lang, indicator_ids)
    row = _write_table(sheet, ind_meta, row + 1) + 1
    sheet.cell(row=row, column=1, value=t("export.sources_title", lang)).font = BOLD
    src_meta = source_metadata(sources, used_sources)
    _write_table(sheet, src_meta, row + 1)
    for j in range(1, max(len(ind_meta.columns), len(src_meta.columns)) + 1):
        sheet.column_dimensions[get_column_letter(j)].width = 28
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=False, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
