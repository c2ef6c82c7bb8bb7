"""Strengths, weaknesses and the best and worst ranks of a region as sentences in fi/sv/en.

An indicator sentence carries the real value, its unit and year and the country's value
("Pienituloisuusaste 19,0 % (koko maa 14,2 %), 2024 · sija 17./18"); a dimension sentence the
score against the country and the peers. Pure: rows and names in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from presentation import format as fmt
from presentation.i18n import t

KINDS = ("strength", "weakness")
LEVELS = ("dimension", "indicator")
RULE_KEYS = {"country": "rule.country", "peers": "rule.peers",
             "country_and_peers": "rule.country_and_peers"}


@dataclass(frozen=True)
class Unit:
    """How an indicator's values are written: label, unit and decimals in one language."""

    label: str
    unit: str
    decimals: int


@dataclass(frozen=True)
class Sentence:
    """One sentence with its kind, level, subject id and the rule that selected it."""

    kind: str
    level: str
    id: str
    text: str
    rule: str


def _rank(row: Mapping, lang: str) -> str:
    """Return ' · sija 3./18' for a row with a rank ('' without one)."""
    rank, n = row.get("rank"), row.get("n_ranked")
    if fmt.is_missing(rank) or fmt.is_missing(n):
        return ""
    return t("sentence.rank_part", lang, rank=fmt.rank(rank, int(n), lang))


def sentence(row: Mapping, lang: str, dimension_names: Mapping[str, str],
             units: Mapping[str, Unit]) -> Sentence:
    """Return the sentence of one strengths/weaknesses row (ValueError for an unknown kind)."""
    kind, level = row.get("kind"), row.get("level")
    if kind not in KINDS or level not in LEVELS:
        raise ValueError(f"Unknown strength/weakness row kind={kind!r} level={level!r}")
    ident = str(row.get("id"))
    rank = _rank(row, lang)
    if level == "indicator" and not fmt.is_missing(row.get("value")):
        unit = units.get(ident, Unit(ident, "", 1))
        country = row.get("country_value")
        country_part = ("" if fmt.is_missing(country) else t(
            "sentence.country_value", lang,
            value=fmt.with_unit(country, unit.unit, unit.decimals, lang)))
        text = t("sentence.indicator", lang, name=unit.label,
                 value=fmt.with_unit(row.get("value"), unit.unit, unit.decimals, lang),
                 country=country_part, year=fmt.year(row.get("value_period")), rank=rank)
    else:
        name = (units[ident].label if level == "indicator" and ident in units
                else dimension_names.get(ident, ident))
        peer = row.get("peer_score")
        peers = ("" if fmt.is_missing(peer)
                 else t("sentence.peers_part", lang, peer=fmt.number(peer, 1, lang)))
        text = t("sentence.score", lang, name=name, score=fmt.number(row.get("score"), 1, lang),
                 country=fmt.number(row.get("country_score"), 1, lang), peers=peers, rank=rank)
    rule = row.get("rule")
    return Sentence(kind=kind, level=level, id=ident, text=text,
                    rule="" if fmt.is_missing(rule) else str(rule))


def sentences(frame: pd.DataFrame | None, lang: str, dimension_names: Mapping[str, str],
              units: Mapping[str, Unit]) -> list[Sentence]:
    """Return sentences for every row: strengths first, dimensions first, largest gap first."""
    if frame is None or frame.empty:
        return []

    def order(row: dict) -> tuple:
        gap = row.get("gap")
        size = 0.0 if fmt.is_missing(gap) else abs(float(gap))
        return (KINDS.index(row["kind"]) if row.get("kind") in KINDS else len(KINDS),
                LEVELS.index(row["level"]) if row.get("level") in LEVELS else len(LEVELS),
                -size, str(row.get("id")))

    rows = sorted(frame.to_dict("records"), key=order)
    return [sentence(row, lang, dimension_names, units) for row in rows]


def extremes_text(frame: pd.DataFrame, lang: str, dimension_names: Mapping[str, str],
                  units: Mapping[str, Unit], region_gen: str) -> tuple[str, ...]:
    """Return the best and worst ranks as sentences, one per level ('' parts left out).

    frame: id, level, rank, n_ranked, score (the engine's extremes); within a level the lowest
    rank is the best and the highest the worst.
    """
    out = []
    for level, key in (("dimension", "sentence.extremes_dimension"),
                       ("indicator", "sentence.extremes_indicator")):
        part = frame[(frame["level"] == level) & frame["rank"].notna()] if len(frame) else frame
        if part is None or part.empty:
            continue
        part = part.sort_values(["rank", "id"])
        best, worst = part.iloc[0], part.iloc[-1]

        def named(row: pd.Series, lvl: str = level) -> str:
            ident = str(row["id"])
            name = (units[ident].label if lvl == "indicator" and ident in units
                    else dimension_names.get(ident, ident))
            return t("sentence.extreme_part", lang, name=name,
                     rank=fmt.rank(row["rank"], int(row["n_ranked"]), lang))

        out.append(t(key, lang, region=region_gen, best=named(best), worst=named(worst)))
    return tuple(out)


def rule_text(rule: str, lang: str) -> str:
    """Return the scoring rule id (e.g. 'country_and_peers:10') as a sentence in lang.

    An id this module does not know is returned as it is, so a new rule is never hidden.
    """
    refs, _, threshold = str(rule).partition(":")
    key = RULE_KEYS.get(refs)
    if key is None or not threshold:
        return str(rule)
    try:
        points = fmt.number(float(threshold), 0, lang)
    except ValueError:
        return str(rule)
    return t(key, lang, points=points)
