"""The EU twins' view-model: a region's five most similar NUTS 3 regions and how it compares."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import twins as engine
from presentation import format as fmt
from presentation.alke_frames import AlkeFrames
from presentation.display import Span, Table, cell, plain
from presentation.exports import Download
from presentation.fast import sheet_number
from presentation.i18n import t
from presentation.names import area_names


@dataclass(frozen=True)
class TwinsView:
    """The twins (names as published, similarity) and the region against them."""

    area_code: str
    lang: str
    title: str
    intro: str
    twins: Table | None
    compare_title: str
    compare: Table | None  # for print: measure, year, region, median, range, rank apart
    notes: tuple[str, ...]
    download: Download | None = None
    compare_narrow: Table | None = None  # for the page: three columns that fit a phone


def _variable(frames: AlkeFrames, variable: str, lang: str) -> pd.Series | None:
    """Return the variable's row (label, unit, decimals), None when unknown."""
    hit = frames.eu_variables[frames.eu_variables["id"] == variable]
    return hit.iloc[0] if len(hit) else None


def _with_unit(var: pd.Series, lang: str) -> str:
    """Return the variable's label with its unit, unless the label already says it."""
    label, unit = str(var[f"label_{lang}"]), str(var[f"unit_{lang}"])
    return label if unit in label else f"{label} ({unit})"


def lower_first(text: str) -> str:
    """Return text with a lower-case first letter, unless it starts an acronym (BKT)."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _decimals(frames: AlkeFrames, variable: str) -> int:
    """Return the variable's shown decimals (1 when unknown)."""
    var = _variable(frames, variable, "en")
    return int(var["decimals"]) if var is not None and pd.notna(var["decimals"]) else 1


def _value(value: object, var: pd.Series | None, lang: str) -> str:
    """Return a value on the variable's decimals."""
    decimals = int(var["decimals"]) if var is not None and pd.notna(var["decimals"]) else 1
    return fmt.number(value, decimals, lang)


def _compare_table(frames: AlkeFrames, own: pd.DataFrame, name: str, lang: str) -> Table:
    """Return the region against its twins on the compared variables."""
    rows = []
    for r in own.itertuples():
        var = _variable(frames, r.variable, lang)
        label = r.variable if var is None else _with_unit(var, lang)
        if pd.isna(r.period):
            rows.append((cell(label), cell(t("twins.no_compare", lang)), cell(fmt.MISSING),
                         cell(fmt.MISSING), cell(fmt.MISSING), cell(fmt.MISSING)))
            continue
        spread = f"{_value(r.twin_low, var, lang)} – {_value(r.twin_high, var, lang)}"
        rows.append((cell(label), cell(fmt.year(r.period)), cell(_value(r.value, var, lang)),
                     cell(_value(r.twin_median, var, lang)), cell(spread),
                     cell(fmt.rank(int(r.rank), int(r.n_ranked), lang))))
    columns = (t("twins.col_measure", lang), t("twins.col_year", lang), name,
               t("twins.col_median", lang), t("twins.col_range", lang),
               t("twins.col_place", lang))
    return Table(columns, tuple(rows))


def narrow(table: Table, twins_column: str) -> Table:
    """Return the print table in three columns for a phone's width.

    Measure with its year | the region's value | the twins' median, range and the rank.
    """
    rows = []
    for measure, year, value, median, spread, rank in table.rows:
        year_text, median_text = plain(year), plain(median)
        rows.append((cell(Span(plain(measure)), Span(f"({year_text})", "muted")
                          if median_text != fmt.MISSING else None),
                     cell(Span(plain(value), "strong")),
                     cell(Span(median_text), Span(f"({plain(spread)})", "muted")
                          if median_text != fmt.MISSING else None,
                          Span(f"· {plain(rank)}") if median_text != fmt.MISSING else None)
                     if median_text != fmt.MISSING else cell(year_text)))
    return Table((table.columns[0], table.columns[2], twins_column), tuple(rows),
                 ("left", "right", "right"))


def _country(names: pd.DataFrame, nuts_code: str) -> str:
    """Return the region's country as published (its code when the name is not stored)."""
    code = str(names["country_code"].get(nuts_code, nuts_code[:2]))
    return str(names["name"].get(code, code))


def build_twins_view(frames: AlkeFrames, area_code: str, lang: str) -> TwinsView:
    """Return the region's EU twins and how it compares with them, in lang."""
    name = area_names(frames.areas, lang).name(area_code)
    title = t("twins.title", lang)
    compare_title = t("twins.compare_title", lang, name=name)
    own = frames.eu_twins[frames.eu_twins["area_code"] == area_code].sort_values("twin_rank")
    if own.empty:
        return TwinsView(area_code, lang, title, t("twins.none", lang), None, compare_title,
                         None, ())
    names = frames.eu_regions.set_index("nuts_code")
    rows = tuple(
        (cell(str(int(r.twin_rank))),
         cell(str(names["name"].get(r.twin_nuts, r.twin_nuts))),
         cell(_country(names, r.twin_nuts)),
         cell(fmt.number(r.distance, 2, lang)))
        for r in own.itertuples())
    twins_table = Table((t("twins.col_rank", lang), t("twins.col_region", lang),
                         t("twins.col_country", lang), t("twins.col_distance", lang)), rows,
                        ("left", "left", "left", "right"))
    structure = frames.eu_variables[frames.eu_variables["role"] == "structure"]
    variables = ", ".join(str(v) if lang == "en" else lower_first(str(v))
                          for v in structure[f"label_{lang}"])
    year = int(own["reference_period"].iloc[0])
    compared = engine.compare(frames.eu_observations, own)
    labels = [r.variable if (v := _variable(frames, r.variable, lang)) is None
              else _with_unit(v, lang) for r in compared.itertuples()]
    shown = pd.DataFrame({t("twins.col_measure", lang): labels,
                          t("twins.col_year", lang): compared["period"].to_numpy(),
                          name: [sheet_number(r.value, _decimals(frames, r.variable), lang)
                                 for r in compared.itertuples()],
                          t("twins.col_median", lang): [
                              sheet_number(r.twin_median, _decimals(frames, r.variable), lang)
                              for r in compared.itertuples()],
                          t("twins.col_place", lang): compared["rank"].to_numpy(),
                          "n": compared["n_ranked"].to_numpy()})
    download = Download(name=f"tilannekuva_eu_kaksoset_{area_code}", lang=lang, shown=shown,
                        machine=compared.merge(own[["nuts_code", "area_code"]].drop_duplicates(),
                                               on="nuts_code"))
    return TwinsView(
        download=download, area_code=area_code, lang=lang, title=title,
        intro=t("twins.intro", lang, year=year, variables=variables), twins=twins_table,
        compare_title=compare_title, compare=(table := _compare_table(frames, compared, name,
                                                                       lang)),
        compare_narrow=narrow(table, t("twins.col_twins", lang)),
        notes=(t("twins.compare_note", lang), t("twins.names_note", lang)))
