"""The fast picture's view-model: a region's latest month against the country, in one language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import fast as engine
from indicators.monthly import parse_month
from presentation import format as fmt
from presentation.alke_frames import AlkeFrames
from presentation.display import Cell, Span, Table, cell
from presentation.exports import Download
from presentation.i18n import t
from presentation.names import area_names

CHART_SERIES = engine.RATE_SERIES
TABLE_ID = "tyonv/12r5.px"


def month_name(code: str | None, lang: str) -> str:
    """Return a month code 'YYYY-MM' said plainly: 'kesäkuu 2026', 'juni 2026', 'June 2026'."""
    parsed = parse_month(code) if code else None
    if parsed is None:
        return fmt.MISSING
    names = t("fast.months", lang).split(",")
    return t("fast.month", lang, month=names[parsed[1] - 1], year=parsed[0])


@dataclass(frozen=True)
class FastChart:
    """The 24-month chart's data: months, the region's and the country's rate (None = no figure)."""

    months: tuple[str, ...]
    region: tuple[float | None, ...]
    country: tuple[float | None, ...]
    gap_label: str
    title: str
    caption: str
    lang: str


@dataclass(frozen=True)
class FastView:
    """The fast picture of a region: the month in words, the table, notes and the chart."""

    area_code: str
    lang: str
    title: str
    month: str | None
    month_text: str
    intro: str
    table: Table | None
    notes: tuple[str, ...]
    chart: FastChart | None
    source: str
    download: Download | None = None


def _label(series_id: str, series: pd.DataFrame, lang: str) -> str:
    """Return the series' label in lang (the rate's own label)."""
    if series_id == engine.RATE_SERIES:
        return t("fast.rate_label", lang)
    hit = series.loc[series["id"] == series_id, f"label_{lang}"]
    return str(hit.iloc[0]) if len(hit) else series_id


def _value(row: pd.Series, lang: str) -> Cell:
    """Return a figure with its unit, or why there is none."""
    if row["note"] in ("no_figure", "confidential"):
        key = "fast.confidential" if row["note"] == "confidential" else "fast.no_figure"
        return cell(Span(t(key, lang), "muted"))
    if row["series"] == engine.RATE_SERIES:
        return cell(fmt.with_unit(row["value"], "%", int(row["decimals"]), lang))
    return cell(fmt.number(row["value"], int(row["decimals"]), lang))


def _change(row: pd.Series, lang: str) -> Cell:
    """Return the change against the same month a year earlier, or why there is none."""
    if row["note"] in ("no_figure", "confidential"):
        return cell(Span(fmt.MISSING, "muted"))
    if row["note"] in ("no_year_earlier", "year_earlier_confidential"):
        key = "fast.no_year_earlier" if row["note"] == "no_year_earlier" else "fast.confidential"
        return cell(Span(t(key, lang), "muted"))
    if row["series"] == engine.RATE_SERIES:
        return cell(t("fast.points", lang, value=fmt.signed(row["change"], 1, lang)))
    return cell(fmt.signed(row["change"], int(row["decimals"]), lang),
                Span(f"({fmt.signed(row['change_pct'], 1, lang)} %)", "muted"))


def _table(picture: engine.FastPicture, series: pd.DataFrame, name: str, lang: str) -> Table:
    """Return one row per series: region, its change, country, its change, the region's rank."""
    rows = []
    figures = picture.figures
    for series_id in dict.fromkeys(figures["series"]):
        own = figures[(figures["series"] == series_id)
                      & (figures["area_code"] == picture.area_code)]
        whole = figures[(figures["series"] == series_id)
                        & (figures["area_code"] == picture.country_code)]
        region_row, country_row = own.iloc[0], whole.iloc[0]
        rank = region_row["rank"]
        rank_text = (fmt.MISSING if pd.isna(rank)
                     else fmt.rank(int(rank), int(region_row["n_ranked"]), lang))
        rows.append((cell(_label(series_id, series, lang)), _value(region_row, lang),
                     _change(region_row, lang), _value(country_row, lang),
                     _change(country_row, lang), cell(rank_text)))
    columns = (t("fast.col_measure", lang), name, t("fast.col_change", lang),
               t("fast.col_country", lang), t("fast.col_country_change", lang),
               t("fast.col_rank", lang))
    if not figures["change"].notna().any():  # no change at all: the note says why, once
        keep = (0, 1, 3, 5)
        return Table(tuple(columns[i] for i in keep),
                     tuple(tuple(row[i] for i in keep) for row in rows))
    return Table(columns, tuple(rows))


def _notes(picture: engine.FastPicture, lang: str) -> tuple[str, ...]:
    """Return the plain notes: the gap that leaves no year-earlier figure, and the rank rule."""
    notes = []
    before = month_name(picture.year_earlier, lang)
    gaps = picture.gaps
    covering = gaps[(gaps["area_code"] == picture.area_code)
                    & (gaps["first"] <= picture.year_earlier)
                    & (gaps["last"] >= picture.year_earlier)]
    missing = picture.figures["note"].isin(["no_year_earlier", "year_earlier_confidential"])
    if len(covering):
        gap = covering.iloc[0]
        notes.append(t("fast.gap_note", lang, first=month_name(gap["first"], lang),
                       last=month_name(gap["last"], lang), months=int(gap["months"]),
                       year_earlier=before))
    elif missing.any():
        notes.append(t("fast.missing_note", lang, year_earlier=before))
    ranked = picture.figures["n_ranked"].dropna()
    if len(ranked):
        notes.append(t("fast.rank_note", lang, n=int(ranked.max()),
                       month=month_name(picture.month, lang)))
    return tuple(notes)


def _chart(picture: engine.FastPicture, name: str, lang: str) -> FastChart | None:
    """Return the rate's 24 months for the region and the country (gaps stay None)."""
    history = picture.history[picture.history["series"] == CHART_SERIES]
    if history.empty:
        return None

    def values(code: str) -> tuple[float | None, ...]:
        rows = history[history["area_code"] == code].sort_values("month")
        return tuple(None if pd.isna(v) else float(v) for v in rows["value"])

    months = tuple(sorted(set(history["month"])))
    return FastChart(months=months, region=values(picture.area_code),
                     country=values(picture.country_code), gap_label=t("fast.chart_gap", lang),
                     title=t("fast.chart_title", lang, first=month_name(months[0], lang),
                             last=month_name(months[-1], lang)),
                     caption=t("fast.chart_caption", lang, name=name), lang=lang)


def sheet_number(value: object, decimals: int, lang: str) -> str | None:
    """Return a number as a spreadsheet in lang reads it (None when missing).

    No thousands separator, the language's decimal mark and an ASCII minus.
    """
    if fmt.is_missing(value):
        return None
    text = fmt.number(value, decimals, lang).replace(fmt.THIN_SPACE, "").replace(fmt.MINUS, "-")
    return text.replace(",", "") if lang == "en" else text


def _download(picture: engine.FastPicture, series: pd.DataFrame, names, lang: str) -> Download:
    """Return the figures shown (in lang) and for machines (ids, full precision)."""
    figures = picture.figures
    decimals = figures["decimals"].astype(int).to_numpy()

    def column(name: str) -> list[str | None]:
        return [sheet_number(v, d, lang) for v, d in zip(figures[name], decimals, strict=True)]

    shown = pd.DataFrame({
        t("fast.col_measure", lang): [_label(s, series, lang) for s in figures["series"]],
        t("twins.col_region", lang): [names.name(c) for c in figures["area_code"]],
        t("fast.col_month", lang): month_name(picture.month, lang),
        picture.month: column("value"), picture.year_earlier: column("year_earlier_value"),
        t("fast.col_change", lang): column("change"),
        t("fast.col_rank", lang): figures["rank"].astype(object).where(figures["rank"].notna(),
                                                                       None).to_numpy()})
    machine = figures.assign(month=picture.month, year_earlier=picture.year_earlier)
    return Download(name=f"tilannekuva_kuukausi_{picture.area_code}_{picture.month}", lang=lang,
                    shown=shown, machine=machine)


def build_fast_view(frames: AlkeFrames, area_code: str, lang: str,
                    month: str | None = None) -> FastView:
    """Return the fast picture of a region in lang (default: its latest month with figures)."""
    name = area_names(frames.areas, lang).name(area_code)
    title, source = t("fast.title", lang), t("fast.source", lang, table=TABLE_ID)
    picture = engine.fast_picture(frames.monthly, frames.monthly_series, frames.areas, area_code,
                                  month)
    if picture.month is None or picture.figures.empty:
        return FastView(area_code, lang, title, None, fmt.MISSING, t("fast.none", lang), None,
                        (), None, source)
    month_text = month_name(picture.month, lang)
    intro = t("fast.intro", lang, month=month_text,
              year_earlier=month_name(picture.year_earlier, lang))
    return FastView(area_code, lang, title, picture.month, month_text, intro,
                    _table(picture, frames.monthly_series, name, lang), _notes(picture, lang),
                    _chart(picture, name, lang), source,
                    _download(picture, frames.monthly_series, area_names(frames.areas, lang),
                              lang))
