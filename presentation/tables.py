"""Reshaping of query frames for the views (no Streamlit, SQL or scoring), and source texts."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import pandas as pd

from presentation import format as fmt
from presentation.frames import OVERALL
from presentation.sentences import Unit

TERMS_PATH = Path(__file__).with_name("terms.toml")
LINKS_PATH = Path(__file__).with_name("links.toml")


def labels(frame: pd.DataFrame, lang: str, field: str = "label") -> dict[str, str]:
    """Return id -> field text in lang (dimensions or indicators)."""
    return dict(zip(frame["id"], frame[f"{field}_{lang}"], strict=True))


def map_frame(ranked: pd.DataFrame, value_column: str, texts: Sequence[str]) -> pd.DataFrame:
    """Return the choropleth input: area_code, value (float, NaN = no data), name, hover text."""
    return pd.DataFrame({"area_code": ranked["area_code"],
                         "value": ranked[value_column].astype(float),
                         "name": ranked["name"], "text": list(texts)})


def _columns(frame: pd.DataFrame, *names: str) -> list[list]:
    """Return the given columns as plain Python lists (fast to iterate, NaN/NA as given)."""
    return [frame[n].tolist() for n in names]


def _missing(value: object) -> bool:
    """Return True for None, NaN or pandas NA."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


SCORE_FIELDS = ("score", "rank", "rank_low", "rank_high", "n_ranked", "change_1y",
                "change_1y_note", "change_5y", "change_5y_note", "n_indicators", "n_expected",
                "n_carried", "newest_period", "oldest_period", "flag")
NOTE_FIELDS = ("flag", "change_1y_note", "change_5y_note")


def _score_lookup(scores: pd.DataFrame, year: int, column: str) -> dict[tuple[str, str], object]:
    """Return (area_code, dimension) -> a scores column's value for one year."""
    return {(a, d): v for a, d, p, v in zip(*_columns(scores, "area_code", "dimension", "period",
                                                      column), strict=True) if p == year}


def dimension_rows(scores: pd.DataFrame, area: str, year: int,
                   dimension_order: Sequence[str]) -> pd.DataFrame:
    """Return the area's overall and dimension scores for a year (overall first, then in order).

    Every dimension gets a row with every contract column; a dimension without a stored score
    has NaN score (missing). scores: conformed (presentation.frames.conform).
    """
    columns = [c for c in SCORE_FIELDS if c in scores.columns]
    found = {d: vals for a, p, d, *vals in zip(*_columns(scores, "area_code", "period",
                                                           "dimension", *columns), strict=True)
             if a == area and p == year}
    nan = float("nan")
    rows = []
    for dim in [OVERALL, *dimension_order]:
        values = found.get(dim, [None] * len(columns))
        row = {"dimension": dim}
        for c, value in zip(columns, values, strict=True):
            row[c] = (None if c in NOTE_FIELDS else nan) if _missing(value) else value
        rows.append(row)
    return pd.DataFrame(rows, columns=["dimension", *columns])


def dimension_vector(scores: pd.DataFrame, area: str, year: int,
                     dimension_order: Sequence[str]) -> list[float]:
    """Return the area's six dimension scores in order (NaN where missing)."""
    lookup = _score_lookup(scores, year, "score")
    values = [lookup.get((area, d)) for d in dimension_order]
    return [float("nan") if _missing(v) else float(v) for v in values]


def indicator_ranking(indicator_scores: pd.DataFrame, year: int, indicator_id: str,
                      area_names: Mapping[str, str], regions: Sequence[str]) -> pd.DataFrame:
    """Return the regions on one indicator in a scored year: value, its period, score and rank.

    Rank is by score (higher is better; ties share the best rank); missing values come last.
    """
    part = indicator_scores[(indicator_scores["period"] == year)
                            & (indicator_scores["indicator_id"] == indicator_id)
                            & indicator_scores["area_code"].isin(regions)]
    frame = part.set_index("area_code").reindex(list(regions)).reset_index()
    frame["name"] = frame["area_code"].map(area_names)
    frame["rank"] = frame["score"].rank(ascending=False, method="min").astype("Int64")
    frame = frame.sort_values(["rank", "name"], na_position="last", kind="stable")
    return frame[["area_code", "name", "value", "value_period", "score", "rank"]
                 ].reset_index(drop=True)


def score_matrix(scores: pd.DataFrame, year: int, regions: Sequence[str],
                 columns: Sequence[str]) -> pd.DataFrame:
    """Return regions × (overall + dimensions) scores for a year (NaN where missing)."""
    part = scores[(scores["period"] == year) & scores["area_code"].isin(regions)]
    wide = part.pivot_table(index="area_code", columns="dimension", values="score",
                            aggfunc="first", dropna=False)
    return wide.reindex(index=list(regions), columns=list(columns)).astype(float)


def coverage_matrix(coverage: pd.DataFrame, indicator_order: Sequence[str], dimension: str,
                    level: str = "region") -> pd.DataFrame:
    """Return indicators × years of one dimension: how many areas of a level have a value.

    A year with no row at all is NaN (not published); every year from the first to the last
    observed year of the whole table is a column.
    """
    part = coverage[(coverage["dimension"] == dimension) & (coverage["level"] == level)]
    all_years = coverage["period"]
    years = list(range(int(all_years.min()), int(all_years.max()) + 1)) if len(all_years) else []
    ids = [i for i in indicator_order if i in set(
        coverage.loc[coverage["dimension"] == dimension, "indicator_id"])]
    wide = part.pivot_table(index="indicator_id", columns="period", values="n_values",
                            aggfunc="sum")
    return wide.reindex(index=ids, columns=years).astype(float)


def what_changed(default: pd.DataFrame, custom: pd.DataFrame, year: int,
                 area_names: Mapping[str, str], regions: Sequence[str],
                 dimension: str = OVERALL) -> pd.DataFrame:
    """Return each region's rank and score under the default and a custom method.

    Columns: area_code, name, default_rank, custom_rank, rank_change (positive = moved up),
    default_score, custom_score; ordered by the custom rank (missing last).
    """
    def pick(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
        part = frame[(frame["period"] == year) & (frame["dimension"] == dimension)
                     & frame["area_code"].isin(regions)]
        return part.set_index("area_code")[["rank", "score"]].add_prefix(prefix)

    frame = pick(default, "default_").join(pick(custom, "custom_"), how="outer")
    frame = frame.reindex(list(regions))
    frame.index.name = "area_code"
    frame = frame.reset_index()
    frame["name"] = frame["area_code"].map(area_names)
    frame["rank_change"] = (frame["default_rank"].astype("Float64")
                            - frame["custom_rank"].astype("Float64"))
    frame = frame.sort_values(["custom_rank", "name"], na_position="last", kind="stable")
    return frame[["area_code", "name", "default_rank", "custom_rank", "rank_change",
                  "default_score", "custom_score"]].reset_index(drop=True)


def link_for(text: object, links: Mapping[str, str]) -> str | None:
    """Return the link whose key the text starts with (longest key first), else None."""
    if not isinstance(text, str):
        return None
    for key in sorted(links, key=len, reverse=True):
        if text.strip().lower().startswith(key.lower()):
            return links[key]
    return None


def units(indicators: pd.DataFrame, lang: str) -> dict[str, Unit]:
    """Return indicator id -> how its values are written in lang (label, unit, decimals)."""
    return {i: Unit(label, unit if isinstance(unit, str) else "",
                    1 if fmt.is_missing(decimals) else int(decimals))
            for i, label, unit, decimals in zip(indicators["id"], indicators[f"label_{lang}"],
                                                indicators[f"unit_{lang}"],
                                                indicators["decimals"], strict=True)}


@cache
def load_terms(path: Path = TERMS_PATH) -> tuple[dict[str, str], ...]:
    """Return the source-text phrases (en, fi, sv), longest English first; ValueError if bad."""
    with open(path, "rb") as fh:
        terms = tomllib.load(fh).get("term", [])
    bad = [n for n, term in enumerate(terms, 1) if set(term) != {"en", "fi", "sv"}
           or not all(isinstance(v, str) and v.strip() for v in term.values())]
    if bad:
        raise ValueError(f"Invalid {path.name}: entries {bad} need non-empty en, fi and sv")
    return tuple(sorted(terms, key=lambda term: -len(term["en"])))


def localise(text: object, lang: str) -> str:
    """Return a source text with its known English phrases in lang (missing gives '')."""
    if fmt.is_missing(text):
        return ""
    out = str(text)
    if lang == "en":
        return out
    for term in load_terms():
        out = out.replace(term["en"], term[lang])
    return out


def licence_text(licence: object, lang: str) -> str:
    """Return a licence text in lang ('Eurostat: free re-use …' in Finnish for fi)."""
    return localise(licence, lang)


@cache
def load_links(path: Path = LINKS_PATH) -> dict[str, dict[str, str]]:
    """Return the publisher and licence links of links.toml (http(s) URLs only)."""
    with open(path, "rb") as fh:
        links = tomllib.load(fh)
    bad = [u for table in links.values() for u in table.values()
           if not str(u).startswith(("https://", "http://"))]
    if bad:
        raise ValueError(f"Invalid links in {path.name}: {bad}")
    return links
