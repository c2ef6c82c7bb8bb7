"""Turn the scoring module's strengths and weaknesses rows into short sentences in fi/sv/en.

Used by the region page and by the printable region brief. Pure: frames and names in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ui import format as fmt
from ui.i18n import t

KINDS = ("strength", "weakness")
LEVELS = ("dimension", "indicator")
TEMPLATES = {
    ("strength", "dimension"): "sentence.strength_dimension",
    ("strength", "indicator"): "sentence.strength_indicator",
    ("weakness", "dimension"): "sentence.weakness_dimension",
    ("weakness", "indicator"): "sentence.weakness_indicator",
}


@dataclass(frozen=True)
class Sentence:
    """One generated sentence with its kind, level, subject id and the rule that selected it."""

    kind: str
    level: str
    id: str
    text: str
    rule: str


def sentence(row: Mapping, lang: str, names: Mapping[str, str]) -> Sentence:
    """Return the sentence for one strengths/weaknesses row.

    row: kind, level, id, score, country_score, peer_score, rule; names: id -> label in lang.
    Raise ValueError for an unknown kind or level.
    """
    kind, level = row.get("kind"), row.get("level")
    if (kind, level) not in TEMPLATES:
        raise ValueError(f"Unknown strength/weakness row kind={kind!r} level={level!r}")
    ident = str(row.get("id"))
    name = names.get(ident, ident)
    peer = row.get("peer_score")
    peers = ("" if fmt.is_missing(peer)
             else t("sentence.peers_part", lang, peer=fmt.number(peer, 0, lang)))
    text = t(TEMPLATES[(kind, level)], lang, name=name, score=fmt.number(row.get("score"), 0, lang),
             country=fmt.number(row.get("country_score"), 0, lang), peers=peers)
    rule = row.get("rule")
    return Sentence(kind=kind, level=level, id=ident, text=text,
                    rule="" if fmt.is_missing(rule) else str(rule))


def sentences(frame: pd.DataFrame, lang: str, names: Mapping[str, str]) -> list[Sentence]:
    """Return sentences for every row, strengths first.

    Order: strengths before weaknesses, dimensions before indicators, then the largest gap first.
    """
    if frame is None or frame.empty:
        return []
    rows = frame.to_dict("records")

    def order(row: dict) -> tuple:
        gap = row.get("gap")
        if fmt.is_missing(gap):
            gap = (row.get("score") or 0) - (row.get("country_score") or 0)
        size = 0.0 if fmt.is_missing(gap) else abs(float(gap))
        return (KINDS.index(row["kind"]) if row.get("kind") in KINDS else len(KINDS),
                LEVELS.index(row["level"]) if row.get("level") in LEVELS else len(LEVELS),
                -size)

    return [sentence(row, lang, names) for row in sorted(rows, key=order)]


RULE_KEYS = {
    "country": "rule.country",
    "peers": "rule.peers",
    "country_and_peers": "rule.country_and_peers",
}


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
