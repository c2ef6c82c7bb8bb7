"""WeightsPicture: the index under the user's weights against the default method.

The scoring engine checks a method and names each problem by a code (method_problems); this
module only words them, in the page's language. Ranks and scores of both methods are compared
region by region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from indicators.method import Method
from presentation import engine, tables
from presentation import format as fmt
from presentation.display import Span, Table, cell
from presentation.engine import Problem
from presentation.i18n import t

NORMALISATIONS = {"goalposts": "weights.norm_goalposts", "minmax": "weights.norm_minmax",
                  "zscore": "weights.norm_zscore"}
AGGREGATIONS = {"arithmetic": "weights.agg_arithmetic", "geometric": "weights.agg_geometric"}
PROBLEM_KEYS = {
    "unknown_normalisation": "weights.problem_unknown_choice",
    "unknown_aggregation": "weights.problem_unknown_choice",
    "unknown_dimension_ids": "weights.problem_unknown_id",
    "unknown_indicator_ids": "weights.problem_unknown_id",
    "weight_not_a_number": "weights.problem_not_a_number",
    "weight_not_finite": "weights.problem_not_finite",
    "weight_negative": "weights.problem_negative",
    "all_dimensions_zero": "weights.all_zero",
    "all_indicators_zero": "weights.dimension_all_zero",
}


def problem_text(problem: Problem, lang: str, names: Mapping[str, str]) -> str:
    """Return one method problem in words; names: dimension and indicator id -> label."""
    key = PROBLEM_KEYS.get(problem.code, "weights.problem_other")
    subject = names.get(problem.subject or "", problem.subject or "")
    value = "" if problem.value is None else str(problem.value)
    return t(key, lang, name=subject, value=value, code=problem.code)


def problems(normalisation: str, aggregation: str, dimension_weights: Mapping | None,
             indicator_weights: Mapping | None, indicators: pd.DataFrame, lang: str,
             names: Mapping[str, str]) -> list[str]:
    """Return the engine's problems with a method, in words (empty when it can be used)."""
    method = Method(normalisation=normalisation, aggregation=aggregation,
                    dimension_weights=dict(dimension_weights or {}) or None,
                    indicator_weights=dict(indicator_weights or {}) or None)
    return [problem_text(p, lang, names) for p in engine.method_problems(method, indicators)]


def weight_groups(indicators: pd.DataFrame, dimensions: pd.DataFrame,
                  lang: str) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """Return (dimension, label, ((indicator, label), …)) of the scored indicators, in order."""
    labels = tables.labels(indicators, lang)
    scored = indicators
    if "scored" in scored:
        scored = scored[scored["scored"].fillna(True).astype(bool)]
    return tuple((d, label, tuple((i, labels[i]) for i in scored.loc[
        scored["dimension"] == d, "id"]))
                 for d, label in tables.labels(dimensions, lang).items())


@dataclass(frozen=True)
class WeightsPicture:
    """The comparison of a custom method with the default one in a year."""

    lang: str
    year: int
    summary: str
    own_label: str
    own_rank: str
    own_change: float | None
    own_change_text: str
    own_score_text: str
    table: Table
    table_note: str
    chart: pd.DataFrame
    chart_caption: str
    highlight: str


def build_weights_picture(default: pd.DataFrame, custom: pd.DataFrame, year: int,
                          area: str, regions: Sequence[str], names: Mapping[str, str],
                          lang: str) -> WeightsPicture:
    """Return the comparison of the custom scores with the default ones for the regions."""
    changed = tables.what_changed(default, custom, year, names, regions)
    n = int(changed["custom_rank"].notna().sum())
    moved = int((changed["rank_change"].fillna(0) != 0).sum())

    def rank(value: object) -> str:
        return fmt.rank(value, n, lang)

    rows = []
    for r in changed.to_dict("records"):
        change = r["rank_change"]
        shift = None
        if not fmt.is_missing(change):
            symbol = "▲" if change > 0 else "▼" if change < 0 else "●"
            tone = "good" if change > 0 else "bad" if change < 0 else ""
            shift = Span(f"{symbol} {fmt.signed(change, 0, lang)}", tone)
        rows.append((cell(r["name"]),
                     cell(Span(rank(r["custom_rank"]), "strong"),
                          Span(f"({rank(r['default_rank'])})", "muted"), shift),
                     cell(Span(fmt.number(r["custom_score"], 1, lang), "strong"),
                          Span(f"({fmt.number(r['default_score'], 1, lang)})", "muted"))))
    table = Table(columns=(t("col.region", lang), t("weights.col_rank", lang),
                           t("weights.col_score", lang)),
                  rows=tuple(rows), align=("left", "right", "right"))
    own = changed[changed["area_code"] == area]
    name = names.get(area, area)
    if own.empty:
        own_rank, own_change, own_text, own_score = fmt.MISSING, None, "", ""
    else:
        row = own.iloc[0]
        own_rank = rank(row["custom_rank"])
        change = row["rank_change"]
        own_change = None if fmt.is_missing(change) or change == 0 else float(change)
        own_text = "" if own_change is None else fmt.signed(own_change, 0, lang)
        own_score = t("weights.own_score", lang, score=fmt.number(row["custom_score"], 1, lang),
                      default=fmt.number(row["default_score"], 1, lang))
    return WeightsPicture(
        lang=lang, year=year,
        summary=(t("weights.summary", lang, moved=moved, n=n) if moved
                 else t("weights.summary_none", lang, n=n)),
        own_label=t("weights.own_rank", lang, region=name), own_rank=own_rank,
        own_change=own_change, own_change_text=own_text, own_score_text=own_score,
        table=table, table_note=t("weights.table_note", lang), chart=changed,
        chart_caption=t("weights.chart_alt", lang, year=year), highlight=name)
