"""Assemble one region brief (texts, tables, chart data) from warehouse frames: a pure function.

The PDF and the HTML brief only lay out a BriefContent, so both print the same figures, and every
figure is formatted exactly as the app shows it (ui/format.py, ui/tables.py, ui/sentences.py).
A missing figure is the missing mark and a plain "no data" sentence, never a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from indicators.strengths import stored_strengths
from report.frames import BriefFrames
from report.texts import rt
from ui import format as fmt
from ui import sentences, tables
from ui.i18n import LANGUAGES, t

OVERALL = tables.OVERALL
COUNTRY = tables.COUNTRY
TREND_YEARS = 12  # the trend charts show at most this many years up to the brief's year


class BriefError(ValueError):
    """Raised when a brief cannot be made: unknown region, language or year, or no data at all."""


@dataclass(frozen=True)
class ScoreRow:
    """The overall index or one dimension: score, rank, rank interval and changes, formatted."""

    dimension: str
    label: str
    score: float
    score_text: str
    rank_text: str
    interval_text: str
    change_1y_text: str
    change_1y_good: bool | None
    change_5y_text: str
    change_5y_good: bool | None


@dataclass(frozen=True)
class KeyRow:
    """One key indicator: value, unit, its year, change, country value (same year), the series."""

    indicator_id: str
    label: str
    unit: str
    value_text: str
    year_text: str
    change_text: str
    change_good: bool | None
    country_text: str
    periods: tuple[int, ...]
    values: tuple[float, ...]
    country_values: tuple[float, ...]


@dataclass(frozen=True)
class RadarData:
    """The radar's six dimension labels, the region's and the country's scores (NaN = missing)."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    country: tuple[float, ...]
    region_label: str
    country_label: str
    no_data_label: str
    caption: str

    @property
    def has_data(self) -> bool:
        """Return True when the region has at least one dimension score."""
        return any(not fmt.is_missing(v) for v in self.values)


@dataclass(frozen=True)
class TextTable:
    """A small table of already formatted text: column headings and rows (first cell = label)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BriefContent:
    """Everything one brief prints, in one language; built by build_content()."""

    lang: str
    area_code: str
    region_name: str
    year: int
    n_regions: int
    kicker: str
    doc_title: str
    subtitle: str
    labels: dict[str, str]
    scores: tuple[ScoreRow, ...]
    no_scores_text: str
    scores_note: str
    radar: RadarData
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    sw_empty_text: str
    sw_rule: str
    key_rows: tuple[KeyRow, ...]
    key_note: str
    trend_caption: str
    peers: TextTable
    peers_note: str
    sources: tuple[str, ...]
    licence_note: str
    method_text: str
    method_version: str
    missing_note: str
    generated_text: str
    file_stem: str = field(default="")

    @property
    def overall(self) -> ScoreRow:
        """Return the overall index row."""
        return self.scores[0]

    @property
    def has_scores(self) -> bool:
        """Return True when the region has the overall or at least one dimension score."""
        return any(not fmt.is_missing(r.score) for r in self.scores)


def region_codes(frames: BriefFrames) -> list[str]:
    """Return the 19 region codes in display order."""
    return tables.region_codes(frames.areas)


def available_years(frames: BriefFrames) -> list[int]:
    """Return the years a brief can be made for: years with scores, else years with values."""
    return sorted(frames.score_periods or frames.observation_periods)


def resolve_year(frames: BriefFrames, year: int | None = None) -> int:
    """Return the brief's year: the given one when available, else the latest; raise BriefError."""
    years = available_years(frames)
    if not years:
        raise BriefError("The warehouse has no scores or observations; build it with "
                         "`python -m etl build`.")
    if year is None:
        return years[-1]
    if int(year) not in years:
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        raise BriefError(f"There are no figures for the year {year}; available years: {span}.")
    return int(year)


def slug(text: str) -> str:
    """Return an ASCII file-name part of a name ('Päijät-Häme' -> 'paijat-hame')."""
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a"})
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.translate(table).lower())
    return "-".join(p for p in out.split("-") if p)


def brief_file_stem(year: int, area_code: str, region_name: str, lang: str) -> str:
    """Return the brief's file name without extension: tilannekuva_2021_MK07_paijat-hame_fi."""
    return f"tilannekuva_{year}_{area_code}_{slug(region_name)}_{lang}"


def _rounded_zero(change: object, decimals: int) -> bool:
    """Return True when a change shows as zero at the given decimals (or is missing)."""
    return fmt.is_missing(change) or round(float(change), max(0, int(decimals))) == 0


def _good(change: object, decimals: int = 1, direction: str = "higher_better") -> bool | None:
    """Return True/False for a change in the good/bad direction, None for no (shown) change."""
    if _rounded_zero(change, decimals):
        return None
    return tables.is_good(float(change), direction)


def _arrow(change: object, decimals: int, lang: str) -> str:
    """Return a change as '▲ +1,2' / '▼ −0,4' / '● ±0,0' (by the shown value), or the mark."""
    if fmt.is_missing(change):
        return fmt.MISSING
    value = float(change)
    shown = round(value, max(0, int(decimals)))
    symbol = "▲" if shown > 0 else "▼" if shown < 0 else "●"
    return f"{symbol} {fmt.signed(value, decimals, lang)}"


def _score_rows(scores: pd.DataFrame, area: str, year: int, dim_ids: Sequence[str],
                labels: dict[str, str], n_regions: int, lang: str) -> tuple[ScoreRow, ...]:
    """Return the overall row and the six dimension rows of the area (missing shown as such)."""
    rows = tables.dimension_rows(scores, area, year, dim_ids)
    out = []
    for row in rows.to_dict("records"):
        score = row["score"]
        out.append(ScoreRow(
            dimension=row["dimension"], label=labels[row["dimension"]],
            score=float("nan") if fmt.is_missing(score) else float(score),
            score_text=fmt.number(score, 1, lang),
            rank_text=fmt.rank(row["rank"], n_regions, lang),
            interval_text=fmt.rank_interval(row["rank_low"], row["rank_high"]),
            change_1y_text=_arrow(row["change_1y"], 1, lang),
            change_1y_good=_good(row["change_1y"]),
            change_5y_text=_arrow(row["change_5y"], 1, lang),
            change_5y_good=_good(row["change_5y"])))
    return tuple(out)


def _series(observations: pd.DataFrame, indicator_id: str, area: str,
            periods: Sequence[int]) -> tuple[float, ...]:
    """Return an area's values of one indicator for the given years (NaN = missing)."""
    part = observations[(observations["indicator_id"] == indicator_id)
                        & (observations["area_code"] == area)]
    lookup = {int(p): v for p, v in zip(part["period"], part["value"], strict=True)}
    return tuple(float("nan") if fmt.is_missing(lookup.get(p)) else float(lookup[p])
                 for p in periods)


def _key_rows(frames: BriefFrames, area: str, year: int, lang: str) -> tuple[KeyRow, ...]:
    """Return the key indicators with formatted figures and their trend series."""
    obs = frames.observations[frames.observations["area_code"].isin([area, COUNTRY])]
    keys = tables.key_indicators(obs, frames.indicators, area, year, lang)
    periods = tuple(range(year - TREND_YEARS + 1, year + 1))
    rows = []
    for k in keys.to_dict("records"):
        decimals, unit = int(k["decimals"]), k["unit"] if isinstance(k["unit"], str) else ""
        rows.append(KeyRow(
            indicator_id=k["indicator_id"], label=k["label"], unit=unit,
            value_text=fmt.number(k["value"], decimals, lang),
            year_text=fmt.year(k["period"]),
            change_text=_arrow(k["change"], decimals, lang),
            change_good=_good(k["change"], decimals, k["direction"]),
            country_text=fmt.number(k["country_value"], decimals, lang),
            periods=periods, values=_series(obs, k["indicator_id"], area, periods),
            country_values=_series(obs, k["indicator_id"], COUNTRY, periods)))
    return tuple(rows)


def _strengths(frames: BriefFrames, area: str, year: int, peer_codes: Sequence[str],
               lang: str, names: dict[str, str]) -> list[sentences.Sentence]:
    """Return the strengths and weaknesses sentences from the stored scores of the year."""
    sw = stored_strengths(frames.scores, frames.indicator_scores, area, year, peer_codes)
    return sentences.sentences(sw, lang, names)


def _peer_table(scores: pd.DataFrame, area: str, year: int, peer_codes: Sequence[str],
                dim_ids: Sequence[str], labels: dict[str, str], names: dict[str, str],
                n_regions: int, lang: str) -> TextTable:
    """Return overall + dimensions × (region, peers, country): 'score (rank)' cells."""
    codes = [area, *peer_codes, COUNTRY]
    wide = tables.peer_table(scores, year, codes, dim_ids)
    ranks = tables.peer_table(scores, year, codes, dim_ids, column="rank")
    rows = []
    for dim in wide.index:
        cells = [labels[dim]]
        for code in codes:
            value, rank = wide.at[dim, code], ranks.at[dim, code]
            text = fmt.number(value, 1, lang)
            if not fmt.is_missing(value) and not fmt.is_missing(rank):
                text += f" ({fmt.rank(rank, n_regions, lang)})"
            cells.append(text)
        rows.append(tuple(cells))
    header = (t("col.dimension", lang), *(names.get(c, c) for c in codes))
    return TextTable(columns=header, rows=tuple(rows))


def _short_table(table_id: object) -> str:
    """Return the short names of a source's table ids ('muutl/statfin_muutl_pxt_11a5.px' -> ..)."""
    if fmt.is_missing(table_id):
        return ""
    parts = []
    for part in str(table_id).split(";"):
        name = PurePosixPath(part.strip()).name.removesuffix(".px")
        if name and name not in parts:
            parts.append(name)
    return ", ".join(parts)


def _sources(frames: BriefFrames, area: str, lang: str) -> tuple[str, ...]:
    """Return one line per publisher and licence with the source tables the area's figures use."""
    used = set(frames.observations.loc[frames.observations["area_code"] == area, "source_id"])
    src = frames.sources[frames.sources["source_id"].isin(used)]
    groups: dict[tuple[str, str], list[str]] = {}
    for publisher, licence, table_id, source_id in zip(src["publisher"], src["licence"],
                                                       src["table_id"], src["source_id"],
                                                       strict=True):
        names = groups.setdefault((str(publisher), str(licence)), [])
        for name in (_short_table(table_id) or str(source_id)).split(", "):
            if name not in names:
                names.append(name)
    return tuple(rt("brief.source_line", lang, publisher=p, licence=lic, tables=", ".join(n))
                 for (p, lic), n in sorted(groups.items()))


def _method_version(scores: pd.DataFrame, year: int, meta: dict[str, str], lang: str) -> str:
    """Return the scoring method id of the year's scores, else the build's, else 'no scores'."""
    part = scores.loc[scores["period"] == year, "method"].dropna()
    if len(part):
        return str(part.iloc[0])
    return meta.get("method_version") or rt("brief.method_unknown", lang)


def _subtitle(frames: BriefFrames, year: int, lang: str) -> str:
    """Return the data-date line as the app's region page shows it."""
    fresh = frames.freshness
    sources_dates = (fmt.date(fresh.get("updated_min"), lang) + "–"
                     + fmt.date(fresh.get("updated_max"), lang)
                     if fresh.get("updated_max") else fmt.MISSING)
    return t("region.subtitle", lang, year=fmt.year(year),
             built=fmt.date(fresh.get("built_at"), lang),
             run=(fmt.date(fresh.get("last_run"), lang) if fresh.get("last_run")
                  else t("common.no_runs", lang)),
             sources=sources_dates)


def _labels(lang: str, year: int) -> dict[str, str]:
    """Return the brief's section titles and column headings in lang."""
    keys = {
        "scores_title": ("region.scores_title", {"year": year}),
        "radar_title": ("region.radar_title", {}), "sw_title": ("region.sw_title", {}),
        "strengths": ("region.strengths", {}), "weaknesses": ("region.weaknesses", {}),
        "key_title": ("region.key_title", {}), "peers_title": ("region.peers_title", {}),
        "col_dimension": ("col.dimension", {}), "col_score": ("col.score", {}),
        "col_rank": ("col.rank", {}),
        "col_indicator": ("col.indicator", {}), "col_value": ("col.value", {}),
        "col_unit": ("col.unit", {}),
        "col_year": ("col.year", {}), "col_country": ("col.country", {}),
    }
    out = {name: t(key, lang, **kw) for name, (key, kw) in keys.items()}
    for name in ("col_interval", "col_change_1y", "col_change_5y", "col_change"):
        out[name] = rt(f"brief.{name}", lang)
    out["trends_title"] = rt("brief.trends_title", lang)
    out["sources_title"] = rt("brief.sources_title", lang)
    out["trends_none"] = rt("brief.trends_none", lang)
    return out


def build_content(frames: BriefFrames, area_code: str, lang: str, year: int | None = None,
                  generated: dt.date | None = None) -> BriefContent:
    """Return the brief of one region in one language for a year (default: the latest).

    Raises BriefError for an unknown region or language or a year without figures.
    """
    if lang not in LANGUAGES:
        raise BriefError(f"Unsupported language '{lang}'; use one of {', '.join(LANGUAGES)}.")
    regions = region_codes(frames)
    if area_code not in regions:
        raise BriefError(f"Unknown region code '{area_code}'; use one of "
                         f"{', '.join(regions) or '(none in the warehouse)'}.")
    year = resolve_year(frames, year)
    names = tables.names(frames.areas, lang)
    region = names[area_code]
    dim_ids = list(frames.dimensions["id"])
    dim_labels = tables.labels(frames.dimensions, lang)
    ind_labels = tables.labels(frames.indicators, lang)
    labels = {OVERALL: t("common.overall", lang), **dim_labels}
    n_regions = len(regions)
    scores = frames.scores
    rows = _score_rows(scores, area_code, year, dim_ids, labels, n_regions, lang)
    has_scores = any(not fmt.is_missing(r.score) for r in rows)
    missing = [r.label for r in rows if fmt.is_missing(r.score)]
    if not has_scores:
        no_scores = rt("brief.no_scores", lang, region=region, year=year)
    elif missing:
        no_scores = rt("brief.missing_scores", lang, names=", ".join(missing))
    else:
        no_scores = ""

    peer_part = frames.peers[frames.peers["area_code"] == area_code].sort_values("peer_rank")
    peer_codes = [c for c in peer_part["peer_code"] if c in names]
    said = _strengths(frames, area_code, year, peer_codes, lang, {**dim_labels, **ind_labels})
    rules = sorted({s.rule for s in said if s.rule})
    sw_rule = (t("region.sw_rule", lang, rules="; ".join(sentences.rule_text(r, lang)
                                                          for r in rules))
               if rules else t("region.sw_rule_default", lang))

    own = tables.dimension_vector(scores, area_code, year, dim_ids)
    country = tables.dimension_vector(scores, COUNTRY, year, dim_ids)
    radar = RadarData(labels=tuple(dim_labels[d] for d in dim_ids), values=tuple(own),
                      country=tuple(country),
                      region_label=rt("brief.radar_region", lang, region=region, year=year),
                      country_label=names.get(COUNTRY, COUNTRY),
                      no_data_label=rt("brief.radar_no_data", lang),
                      caption=rt("brief.radar_caption", lang, region=region))
    key_rows = _key_rows(frames, area_code, year, lang)
    first = year - TREND_YEARS + 1
    if peer_codes:
        peers_note = (rt("brief.peer_codes", lang, names=", ".join(names[c] for c in peer_codes))
                      + " " + t("region.peers_note", lang))
    else:
        peers_note = t("region.no_peers", lang)
    version = _method_version(scores, year, frames.meta, lang)
    today = generated or dt.date.today()
    return BriefContent(
        lang=lang, area_code=area_code, region_name=region, year=year, n_regions=n_regions,
        kicker=rt("brief.kicker", lang),
        doc_title=rt("brief.doc_title", lang, region=region, year=year),
        subtitle=_subtitle(frames, year, lang), labels=_labels(lang, year), scores=rows,
        no_scores_text=no_scores,
        scores_note=rt("brief.scores_note", lang), radar=radar,
        strengths=tuple(s.text for s in said if s.kind == "strength"),
        weaknesses=tuple(s.text for s in said if s.kind == "weakness"),
        sw_empty_text=(t("region.sw_none", lang) if has_scores
                       else rt("brief.sw_no_scores", lang)),
        sw_rule=sw_rule, key_rows=key_rows, key_note=rt("brief.key_note", lang, year=year),
        trend_caption=rt("brief.trends_caption", lang, first=first, last=year, region=region),
        peers=_peer_table(scores, area_code, year, peer_codes, dim_ids, labels, names,
                          n_regions, lang),
        peers_note=peers_note, sources=_sources(frames, area_code, lang),
        licence_note=rt("brief.licence_note", lang),
        method_text=rt("brief.method", lang, version=version), method_version=version,
        missing_note=t("common.missing_mark_note", lang),
        generated_text=rt("brief.generated", lang, date=fmt.date(today.isoformat(), lang),
                          code=area_code),
        file_stem=brief_file_stem(year, area_code, region, lang))
