"""ComparePicture: the regions compared on one measure, the view-model of the compare page.

A measure is the overall index, a dimension or an indicator with figures in the year. The
ranking says how many regions are really ranked, how old each region's figures are and shows a
change only where it is comparable; the heatmap shows every region's index and dimensions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from presentation import ages, changes, tables
from presentation import format as fmt
from presentation.display import Span, Table, cell
from presentation.exports import Download
from presentation.frames import OVERALL, PictureFrames, region_codes
from presentation.i18n import t
from presentation.names import area_names


@dataclass(frozen=True)
class ComparePicture:
    """Everything the compare page shows for one measure and year."""

    lang: str
    year: int
    measure: str
    measure_label: str
    measures: tuple[tuple[str, str], ...]
    is_indicator: bool
    title: str
    subtitle: str
    ages_text: str
    notices: tuple[str, ...]
    own_text: str
    map_values: pd.DataFrame
    colorbar_title: str
    zrange: tuple[float, float] | None
    reverse: bool
    map_caption: str
    missing_text: str
    ranking_title: str
    ranking: Table
    ranking_note: str
    intervals: pd.DataFrame | None
    intervals_title: str
    intervals_caption: str
    highlight: str
    heatmap_title: str
    heatmap_values: pd.DataFrame
    heatmap_text: pd.DataFrame
    heatmap_caption: str
    download: Download


def measure_options(frames: PictureFrames, year: int, lang: str) -> tuple[tuple[str, str], ...]:
    """Return (id, label) of the measures: index, dimensions, indicators with figures in year."""
    dims = tables.labels(frames.dimensions, lang)
    ind = frames.indicator_scores
    with_data = set(ind.loc[(ind["period"] == year) & ind["score"].notna(), "indicator_id"])
    out = [(OVERALL, t("common.overall", lang))]
    out += [(d, t("compare.dimension_option", lang, name=label)) for d, label in dims.items()]
    out += [(i, t("compare.indicator_option", lang, name=label))
            for i, label in tables.labels(frames.indicators, lang).items() if i in with_data]
    return tuple(out)


def _score_ranking(part: pd.DataFrame, names, lang: str) -> Table:
    """Return the ranking of a score measure: rank (interval), region (years), score, changes."""
    rows = []
    for r in part.to_dict("records"):
        rank = (fmt.MISSING if fmt.is_missing(r["n_ranked"])
                else fmt.rank(r["rank"], int(r["n_ranked"]), lang))
        interval = fmt.rank_interval(r["rank_low"], r["rank_high"])
        newest = r["newest_period"]
        one = changes.score_change(r["change_1y"], r["change_1y_note"], lang, newest)
        five = changes.score_change(r["change_5y"], r["change_5y_note"], lang, newest)
        rows.append((
            cell(Span(rank, "strong"), Span(f"({interval})", "muted")
                 if interval != fmt.MISSING else None),
            cell(names.name(r["area_code"]),
                 Span(ages.short_span(newest, r["oldest_period"]), "muted")
                 if not fmt.is_missing(newest) else None),
            cell(Span(fmt.number(r["score"], 1, lang), "strong"),
                 *((t("compare.lag_1y", lang), one.span(), "·", t("compare.lag_5y", lang),
                    five.span()) if not fmt.is_missing(r["score"]) else ()))))
    return Table(columns=(t("col.rank", lang), t("col.region", lang),
                          t("compare.col_score_change", lang)),
                 rows=tuple(rows), align=("left", "left", "left"))


def _indicator_ranking(part: pd.DataFrame, names, unit: str, decimals: int, lang: str) -> Table:
    """Return the ranking of an indicator: rank, region, value (year), score."""
    rows = []
    for r in part.to_dict("records"):
        n = r["n_ranked"]
        rows.append((
            cell(Span(fmt.MISSING if fmt.is_missing(r["rank"]) else fmt.rank(r["rank"], int(n),
                                                                              lang), "strong")),
            cell(names.name(r["area_code"])),
            cell(Span(fmt.with_unit(r["value"], unit, decimals, lang), "strong"),
                 Span(f"({fmt.year(r['value_period'])})", "muted")
                 if not fmt.is_missing(r["value_period"]) else None),
            cell(fmt.number(r["score"], 1, lang))))
    return Table(columns=(t("col.rank", lang), t("col.region", lang), t("col.value", lang),
                          t("col.score", lang)),
                 rows=tuple(rows), align=("left", "left", "right", "right"))


def build_compare_picture(frames: PictureFrames, measure: str, lang: str, year: int,
                          area: str, today: dt.date | None = None) -> ComparePicture:
    """Return the regions compared on a measure in a year; area is the region in focus."""
    today = today or dt.date.today()
    names = area_names(frames.areas, lang)
    regions = region_codes(frames)
    measures = measure_options(frames, year, lang)
    labels = dict(measures)
    if measure not in labels:
        raise ValueError(f"Unknown measure {measure!r}")
    measure_label = labels[measure] if measure == OVERALL else (
        tables.labels(frames.dimensions, lang).get(measure)
        or tables.labels(frames.indicators, lang)[measure])
    dims = list(frames.dimensions["id"])
    is_indicator = measure not in (OVERALL, *dims)
    scores = frames.scores[frames.scores["period"] == year]
    name_of = {c: names.name(c) for c in regions}
    own_text, reverse, zrange = "", False, (0.0, 100.0)
    if is_indicator:
        ind = frames.indicators.set_index("id").loc[measure]
        unit, decimals = ind[f"unit_{lang}"], int(ind["decimals"])
        ranked = tables.indicator_ranking(frames.indicator_scores, year, measure, name_of,
                                          regions)
        ranked["n_ranked"] = int(ranked["rank"].notna().sum())
        ranking = _indicator_ranking(ranked, names, unit, decimals, lang)
        texts = [f"{fmt.with_unit(v, unit, decimals, lang)} ({fmt.year(p)})"
                 for v, p in zip(ranked["value"], ranked["value_period"], strict=True)]
        map_values = tables.map_frame(ranked, "value", texts)
        colorbar, reverse, zrange = unit, ind["direction"] == "lower_better", None
        periods = ranked["value_period"].dropna()
        newest, oldest = (periods.max(), periods.min()) if len(periods) else (None, None)
        note = t("compare.indicator_rank_note", lang)
        shown = pd.DataFrame({t("col.rank", lang): ranked["rank"],
                              t("col.region", lang): ranked["name"],
                              t("col.value", lang): ranked["value"],
                              t("col.year", lang): ranked["value_period"],
                              t("col.score", lang): ranked["score"]})
        decimals_shown = {t("col.value", lang): decimals, t("col.score", lang): 1}
        own = ranked[ranked["area_code"] == area]
        if len(own) and not fmt.is_missing(own["value"].iloc[0]):
            o = own.iloc[0]
            own_text = t("compare.own_indicator", lang, region=names.name(area),
                         value=fmt.with_unit(o["value"], unit, decimals, lang),
                         period=fmt.year(o["value_period"]),
                         score=fmt.number(o["score"], 1, lang),
                         rank=fmt.rank(o["rank"], int(o["n_ranked"]), lang))
        intervals = None
        machine = ranked.drop(columns=["name"]).assign(indicator_id=measure, period=year)
    else:
        part = scores[(scores["dimension"] == measure) & scores["area_code"].isin(regions)]
        ranked = part.set_index("area_code").reindex(regions).reset_index()
        ranked["name"] = ranked["area_code"].map(name_of)
        ranked = ranked.sort_values(["rank", "name"], na_position="last", kind="stable")
        ranking = _score_ranking(ranked, names, lang)
        texts = [f"{fmt.number(s, 1, lang)} · " + (fmt.MISSING if fmt.is_missing(n) else
                                                   fmt.rank(r, int(n), lang))
                 for s, r, n in zip(ranked["score"], ranked["rank"], ranked["n_ranked"],
                                    strict=True)]
        map_values = tables.map_frame(ranked, "score", texts)
        colorbar = t("common.score_0_100", lang)
        newest = ranked["newest_period"].dropna().max() if ranked["newest_period"].notna(
        ).any() else None
        oldest = ranked["oldest_period"].dropna().min() if ranked["oldest_period"].notna(
        ).any() else None
        note = t("compare.rank_note", lang)
        shown_1y = [changes.score_change(c, n, lang) for c, n in zip(
            ranked["change_1y"], ranked["change_1y_note"], strict=True)]
        shown_5y = [changes.score_change(c, n, lang) for c, n in zip(
            ranked["change_5y"], ranked["change_5y_note"], strict=True)]
        shown = pd.DataFrame({t("col.rank", lang): ranked["rank"].to_numpy(),
                              t("col.region", lang): ranked["name"].to_numpy(),
                              t("col.score", lang): ranked["score"].to_numpy(),
                              t("col.rank_low", lang): ranked["rank_low"].to_numpy(),
                              t("col.rank_high", lang): ranked["rank_high"].to_numpy(),
                              t("col.change_1y", lang): [c.value for c in shown_1y],
                              t("col.change_5y", lang): [c.value for c in shown_5y],
                              t("col.years", lang): [ages.short_span(a, b) for a, b in zip(
                                  ranked["newest_period"], ranked["oldest_period"],
                                  strict=True)]})
        decimals_shown = {t("col.score", lang): 1, t("col.change_1y", lang): 1,
                          t("col.change_5y", lang): 1}
        own = ranked[ranked["area_code"] == area]
        if len(own) and not fmt.is_missing(own["score"].iloc[0]):
            o = own.iloc[0]
            own_text = t("compare.own_score", lang, region=names.name(area),
                         measure=measure_label, score=fmt.number(o["score"], 1, lang),
                         rank=fmt.rank(o["rank"], int(o["n_ranked"]), lang),
                         interval=fmt.rank_interval(o["rank_low"], o["rank_high"]))
        intervals = ranked[["name", "rank", "rank_low", "rank_high"]].reset_index(drop=True)
        machine = ranked.drop(columns=["name"]).reset_index(drop=True)
    missing = [n for n, v in zip(map_values["name"], map_values["value"], strict=True)
               if pd.isna(v)]
    n_ranked = int(map_values["value"].notna().sum()) if is_indicator else int(
        ranked["rank"].notna().sum())
    columns = [OVERALL, *dims]
    matrix = tables.score_matrix(scores, year, regions, columns)
    text = matrix.map(lambda v: fmt.number(v, 0, lang))
    matrix.index = text.index = [name_of[c] for c in matrix.index]
    dim_labels = tables.labels(frames.dimensions, lang)
    matrix.columns = text.columns = [t("common.overall_short", lang),
                                     *[dim_labels[d] for d in dims]]
    map_caption = t("compare.map_alt", lang, measure=measure_label, year=year)
    if reverse:
        map_caption += " " + t("compare.map_reverse", lang)
    stale = ages.stale_notice(newest, today, lang, t("compare.regions_gen", lang))
    return ComparePicture(
        lang=lang, year=year, measure=measure, measure_label=measure_label, measures=measures,
        is_indicator=is_indicator, title=t("compare.title", lang),
        subtitle=t("compare.subtitle", lang, year=year, n=n_ranked, total=len(regions)),
        ages_text=ages.span_text(newest, oldest, lang), notices=(stale,) if stale else (),
        own_text=own_text, map_values=map_values, colorbar_title=colorbar, zrange=zrange,
        reverse=bool(reverse), map_caption=map_caption,
        missing_text=(t("common.missing_areas", lang, areas=", ".join(missing))
                      if missing else ""),
        ranking_title=t("compare.ranking_title", lang, measure=measure_label), ranking=ranking,
        ranking_note=note, intervals=intervals,
        intervals_title=t("compare.intervals_title", lang, measure=measure_label),
        intervals_caption=t("compare.intervals_alt", lang, measure=measure_label, year=year),
        highlight=names.name(area),
        heatmap_title=t("compare.heatmap_title", lang, year=year), heatmap_values=matrix,
        heatmap_text=text,
        heatmap_caption=(t("compare.heatmap_alt", lang, year=year) + " "
                         + t("common.missing_mark_note", lang)),
        download=Download(name=f"tilannekuva_{measure}_{year}", lang=lang, shown=shown,
                          machine=machine, decimals=decimals_shown,
                          indicator_ids=(measure,) if is_indicator else ()))
