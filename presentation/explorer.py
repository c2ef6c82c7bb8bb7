"""ExplorerPicture: one indicator for up to five areas, the view-model of the explorer page.

Only indicators with figures can be picked. Each area keeps one colour in every chart of the
page; recorded series breaks are drawn on the chart and marked in the table, and no line joins
values across them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.regions import COUNTRY_CODE
from presentation import ages, tables
from presentation import format as fmt
from presentation.exports import Download
from presentation.i18n import t
from presentation.names import area_names
from presentation.palette import area_colours

LEVELS = ("region", "subregion", "municipality")
LEVEL_KEYS = {"country": "level.country", "region": "level.region",
              "subregion": "level.subregion", "municipality": "level.municipality"}
ONE_KEYS = {"region": "area_level.region", "subregion": "area_level.subregion",
            "municipality": "area_level.municipality"}
FLAG_KEYS = {"p": "flag.p", "e": "flag.e", "b": "flag.b", "partial": "flag.partial",
             "missing": "flag.missing", "confidential": "flag.confidential"}
SHOWN_FLAGS = ("p", "e", "b", "partial")
BREAK_MARKS = {"one_off": "¹", "series_break": "²"}
BREAK_KEYS = {"one_off": "explorer.break_one_off", "series_break": "explorer.break_series_break"}
FLAG_MARKS = {"partial": "flag.mark_partial"}


def indicator_options(indicators: pd.DataFrame, dimensions: pd.DataFrame,
                      indicator_levels: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return id -> 'Dimension · indicator' of the indicators that have at least one figure."""
    with_data = set(indicator_levels.loc[indicator_levels["n_areas"] > 0, "indicator_id"])
    dims = tables.labels(dimensions, lang)
    out = {}
    for ident, dim, label, scored in zip(indicators["id"], indicators["dimension"],
                                         indicators[f"label_{lang}"],
                                         indicators.get("scored", pd.Series(
                                             [True] * len(indicators))), strict=True):
        if ident in with_data:
            context = "" if scored is not False else " " + t("explorer.context_mark", lang)
            out[ident] = f"{dims.get(dim, dim)} · {label}{context}"
    return out


def area_options(observations: pd.DataFrame, areas: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return code -> 'name (level)' of the areas that have a figure, in registry order."""
    with_data = set(observations.loc[observations["value"].notna(), "area_code"])
    out = {}
    for code, level, name in zip(areas["code"], areas["level"], areas[f"name_{lang}"],
                                 strict=True):
        if code in with_data:
            out[code] = f"{name} ({t(ONE_KEYS[level], lang)})" if level in ONE_KEYS else name
    return out


def default_areas(options: dict[str, str], area: str) -> list[str]:
    """Return the areas shown first: the region in focus and the country, where they have data."""
    return [c for c in (area, COUNTRY_CODE) if c in options] or list(options)[:1]


def level_options(observations: pd.DataFrame, areas: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return level -> its name in lang, for the levels below the country that have figures."""
    level_of = dict(zip(areas["code"], areas["level"], strict=True))
    present = {level_of.get(c) for c in observations.loc[observations["value"].notna(),
                                                         "area_code"]}
    return {lv: t(LEVEL_KEYS[lv], lang) for lv in LEVELS if lv in present}


def level_years(observations: pd.DataFrame, areas: pd.DataFrame, level: str | None) -> list[int]:
    """Return the years with a figure for some area of a level."""
    codes = set(areas.loc[areas["level"] == level, "code"])
    part = observations[observations["area_code"].isin(codes) & observations["value"].notna()]
    return sorted(int(p) for p in part["period"].unique())


@dataclass(frozen=True)
class ExplorerPicture:
    """Everything the explorer page shows for one indicator, areas, level and year."""

    lang: str
    indicator: str
    label: str
    unit: str
    description: str
    intro: str
    source_line: str
    score_line: str
    colours: dict[str, str]
    series: pd.DataFrame
    breaks: tuple[tuple[int, str, str], ...]
    break_notes: tuple[str, ...]
    series_caption: str
    has_series: bool
    reference_name: str
    reference_code: str
    dist_year: int | None
    distribution: pd.DataFrame
    dist_highlight: dict[str, str]
    dist_reference: float | None
    dist_caption: str
    table: pd.DataFrame
    table_note: str
    sources: pd.DataFrame
    sources_title: str
    download: Download


def _break_rows(breaks: pd.DataFrame, indicator: str, levels: set[str],
                lang: str) -> pd.DataFrame:
    """Return the indicator's breaks at the given levels, one row per year (kind, reason)."""
    part = breaks[(breaks["indicator_id"] == indicator) & breaks["level"].isin(levels)]
    return part.drop_duplicates(["period", "kind"]).sort_values("period")[
        ["period", "kind", f"reason_{lang}"]]


def build_explorer_picture(indicators: pd.DataFrame, areas: pd.DataFrame,
                           observations: pd.DataFrame, own_score: pd.DataFrame,
                           sources: pd.DataFrame, breaks: pd.DataFrame, indicator: str,
                           chosen: Sequence[str], level: str | None, dist_year: int | None,
                           lang: str, year: int | None, area: str) -> ExplorerPicture:
    """Return the explorer's picture of one indicator (observations: that indicator's, all areas).

    own_score: the indicator score rows of the region in focus in the year (may be empty).
    """
    info = indicators.set_index("id").loc[indicator]
    unit, decimals = info[f"unit_{lang}"], int(info["decimals"])
    label = info[f"label_{lang}"]
    names = area_names(areas, lang)
    level_of = dict(zip(areas["code"], areas["level"], strict=True))
    chosen = list(chosen)
    colours = area_colours(chosen, COUNTRY_CODE)

    direction = t("explorer.higher_better" if info["direction"] == "higher_better"
                  else "explorer.lower_better", lang)
    source_line = t("explorer.source_line", lang, direction=direction,
                    publisher=tables.localise(info["source_publisher"], lang),
                    table=tables.localise(info["source_table"], lang),
                    licence=tables.licence_text(info["source_licence"], lang))
    if year is None:
        score_line = ""
    elif own_score.empty or fmt.is_missing(own_score["score"].iloc[0]):
        score_line = t("explorer.score_missing", lang, region=names.genitive(area), year=year)
    else:
        row = own_score.iloc[0]
        score_line = t("explorer.score_line", lang, region=names.name(area), year=year,
                       score=fmt.number(row["score"], 1, lang),
                       value=fmt.with_unit(row["value"], unit, decimals, lang),
                       period=fmt.year(row["value_period"]))

    selected = observations[observations["area_code"].isin(chosen)].copy()
    order = {c: i for i, c in enumerate(chosen)}
    selected = selected.assign(_o=selected["area_code"].map(order)).sort_values(
        ["_o", "period"]).drop(columns="_o")
    selected["name"] = selected["area_code"].map(names.name)
    column_names = area_options(observations, areas, lang)
    levels = {level_of.get(c) for c in chosen}
    found = _break_rows(breaks, indicator, levels, lang)
    break_list = tuple((int(p), str(k), str(r)) for p, k, r in found.itertuples(index=False))
    marks = {(p, k) for p, k, _ in break_list}
    break_notes = tuple(t(BREAK_KEYS[k], lang, mark=BREAK_MARKS[k], year=p, reason=r)
                        for p, k, r in break_list if k in BREAK_KEYS)
    areas_text = ", ".join(names.name(c) for c in chosen)
    series_caption = (t("explorer.series_alt", lang, indicator=label, areas=areas_text) + " "
                      + t("explorer.gap_note", lang))
    periods = selected.loc[selected["value"].notna(), "period"]
    newest, oldest = (periods.max(), periods.min()) if len(periods) else (None, None)
    span = ages.span_text(newest, oldest, lang)
    if span:
        series_caption += " " + span + "."

    level_codes = {c for c, lv in level_of.items() if lv == level}
    year_obs = observations[observations["area_code"].isin(level_codes)
                            & (observations["period"] == dist_year)]
    distribution = pd.DataFrame({"name": year_obs["area_code"].map(names.name),
                                 "value": year_obs["value"].astype(float)})
    country = observations[(observations["area_code"] == COUNTRY_CODE)
                           & (observations["period"] == dist_year)]["value"]
    reference = (float(country.iloc[0]) if len(country) and not fmt.is_missing(country.iloc[0])
                 else None)
    n_values = int(distribution["value"].notna().sum())
    dist_caption = "" if dist_year is None or level is None else t(
        "explorer.distribution_alt", lang, indicator=label, year=dist_year,
        level=t(LEVEL_KEYS[level], lang), n=n_values)
    no_value = len(level_codes) - n_values
    if dist_caption and no_value > 0:
        dist_caption += " " + t("explorer.missing_count", lang, n=no_value)

    def text(value: object, flag: object, period: int) -> str:
        out = fmt.number(value, decimals, lang)
        if isinstance(flag, str) and flag in SHOWN_FLAGS:
            out += f" ({t(FLAG_MARKS[flag], lang) if flag in FLAG_MARKS else flag})"
        for kind, mark in BREAK_MARKS.items():
            if (int(period), kind) in marks:
                out += " " + mark
        return out

    cells = selected.assign(text=[text(v, f, p) for v, f, p in zip(
        selected["value"], selected["flag"], selected["period"], strict=True)])
    table = cells.pivot_table(index="period", columns="area_code", values="text",
                              aggfunc="first")
    table = table.reindex(columns=chosen).sort_index(ascending=False).fillna(fmt.MISSING)
    plain_names = [names.name(c) for c in chosen]
    table.columns = [column_names.get(c, n) if plain_names.count(n) > 1 else n
                     for c, n in zip(chosen, plain_names, strict=True)]
    table.index = [str(p) for p in table.index]
    table.index.name = t("col.year", lang)
    table.columns.name = None
    flags = sorted({f for f in selected["flag"].dropna() if f in FLAG_KEYS})
    table_note = " ".join([t("explorer.table_note", lang, unit=unit),
                           *(t(FLAG_KEYS[f], lang) for f in flags), *break_notes])

    used = sources[sources["source_id"].isin(set(observations["source_id"]))]
    source_view = pd.DataFrame({
        t("col.publisher", lang): [tables.localise(x, lang) for x in used["publisher"]],
        t("col.table", lang): [tables.localise(x, lang) for x in used["table_id"]],
        t("col.licence", lang): [tables.licence_text(x, lang) for x in used["licence"]],
        t("col.updated", lang): [fmt.date(x, lang) for x in used["updated"]]})
    shown = pd.DataFrame({t("col.area", lang): selected["name"].to_numpy(),
                          t("col.year", lang): selected["period"].to_numpy(),
                          f"{label} ({unit})": selected["value"].to_numpy(),
                          t("col.flag", lang): selected["flag"].to_numpy()})
    return ExplorerPicture(
        lang=lang, indicator=indicator, label=label, unit=unit,
        description=info[f"description_{lang}"],
        intro=f"{label} ({unit}) — {info[f'description_{lang}']}", source_line=source_line,
        score_line=score_line, colours=colours,
        series=selected[["area_code", "name", "period", "value"]].reset_index(drop=True),
        breaks=break_list, break_notes=break_notes, series_caption=series_caption,
        has_series=bool(selected["value"].notna().any()),
        reference_name=names.name(COUNTRY_CODE), reference_code=COUNTRY_CODE,
        dist_year=dist_year,
        distribution=distribution.reset_index(drop=True),
        dist_highlight={names.name(c): colours[c] for c in chosen if c != COUNTRY_CODE},
        dist_reference=reference, dist_caption=dist_caption, table=table,
        table_note=table_note, sources=source_view,
        sources_title=t("explorer.sources_title", lang, n=len(used)),
        download=Download(name=f"tilannekuva_{indicator}", lang=lang, shown=shown,
                          machine=selected.drop(columns="name").reset_index(drop=True),
                          decimals={f"{label} ({unit})": decimals},
                          indicator_ids=(indicator,)))
