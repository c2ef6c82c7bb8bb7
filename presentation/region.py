"""RegionPicture: one region's situational picture, the view-model of the region page and brief.

Built by build_region_picture() from PictureFrames, a pure function: the Streamlit page and the
PDF/HTML brief only lay it out, so both show the same figures, years and words. Every change is
shown only where it is comparable (presentation/changes.py), every score says how old its
figures are (presentation/ages.py), and a missing figure is the missing mark, never a zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from indicators.regions import COUNTRY_CODE
from presentation import ages, changes, engine, sentences, tables
from presentation import format as fmt
from presentation.changes import Change
from presentation.display import Span, Table, cell
from presentation.frames import OVERALL, PictureFrames, available_years, region_codes
from presentation.i18n import LANGUAGES, t
from presentation.names import AreaNames, area_names

TREND_YEARS = 12  # the trend charts show at most this many years up to the picture's year


class PictureError(ValueError):
    """Raised when a picture cannot be made: unknown region, language or year, or no data."""


@dataclass(frozen=True)
class Card:
    """The overall index or one dimension as shown: score, rank, changes, ages and notes."""

    dimension: str
    label: str
    help: str
    score: float
    score_text: str
    rank_text: str
    interval_text: str
    change_1y: Change
    change_5y: Change
    ages_text: str
    ages_short: str
    notes: tuple[str, ...]
    missing_text: str
    rank_line: str = ""
    change_lines: tuple[str, ...] = ()

    @property
    def has_score(self) -> bool:
        """Return True when the card has a score."""
        return not fmt.is_missing(self.score)


@dataclass(frozen=True)
class KeyRow:
    """One key indicator: the value with its year, the change as shown, the country's value."""

    indicator_id: str
    label: str
    unit: str
    value_text: str
    year_text: str
    change: Change
    country_text: str
    periods: tuple[int, ...]
    values: tuple[float, ...]
    country_values: tuple[float, ...]
    breaks: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class RadarData:
    """The radar's dimension labels, the region's and the country's scores (NaN = missing)."""

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
class RegionPicture:
    """Everything the region page and the brief show of one region in one year and language."""

    lang: str
    area_code: str
    region_name: str
    year: int
    today: dt.date
    kicker: str
    doc_title: str
    subtitle: str
    ages_text: str
    notices: tuple[str, ...]
    labels: dict[str, str]
    cards: tuple[Card, ...]
    scores_table: Table
    card_notes: tuple[str, ...]
    no_scores_text: str
    scores_note: str
    radar: RadarData
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    extremes: tuple[str, ...]
    strengths_empty: str
    weaknesses_empty: str
    sw_rule: str
    key_rows: tuple[KeyRow, ...]
    key_table: Table
    key_table_print: Table
    key_note: str
    trend_caption: str
    peers: Table
    peers_note: str
    map_caption: str
    sources: tuple[str, ...]
    licence_note: str
    method_text: str
    method_version: str
    missing_note: str
    generated_text: str
    file_stem: str = field(default="")
    peers_print: Table | None = None  # the peers in one column per area (the brief's)

    @property
    def overall(self) -> Card:
        """Return the overall index card."""
        return self.cards[0]

    @property
    def has_scores(self) -> bool:
        """Return True when the region has the overall or at least one dimension score."""
        return any(c.has_score for c in self.cards)


def resolve_year(frames: PictureFrames, year: int | None = None) -> int:
    """Return the picture's year: the given one when available, else the newest with an index."""
    years = available_years(frames)
    if not years:
        raise PictureError("The warehouse has no scores or observations; build it with "
                           "`python -m etl build`.")
    if year is None:
        return years[-1]
    if int(year) not in years:
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        raise PictureError(f"There are no figures for the year {year}; available years: {span}.")
    return int(year)


def slug(text: str) -> str:
    """Return an ASCII file-name part of a name ('Päijät-Häme' -> 'paijat-hame')."""
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a"})
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.translate(table).lower())
    return "-".join(p for p in out.split("-") if p)


def file_stem(year: int, area_code: str, region_name: str, lang: str) -> str:
    """Return the brief's file name without extension: tilannekuva_2024_MK07_paijat-hame_fi."""
    return f"tilannekuva_{year}_{area_code}_{slug(region_name)}_{lang}"


def _with_base_years(change: changes.Change, base: tuple[object, object] | None,
                     base_year: int, lang: str) -> changes.Change:
    """Return a shown change that says its base year's figure years when they are older.

    The base picture of a '5 v' change may itself rest on carried figures (the 2020 picture on
    2016 values): the change is then between those figures and today's, and says so.
    """
    if not change.shown or base is None or fmt.is_missing(base[0]):
        return change
    if int(base[0]) >= base_year:
        return change
    note = t("change.base_years", lang, years=ages.short_span(*base))
    text = (f"{change.text[:-1]}; {note})" if change.text.endswith(")")
            else f"{change.text} ({note})")
    return dataclasses.replace(change, text=text)


def _card(row: dict, label: str, help_text: str, lang: str, year: int | None = None,
          base_ages: dict[tuple[str, int], tuple[object, object]] | None = None) -> Card:
    """Return one score card from a conformed scores row (NaN score = missing).

    base_ages: (dimension, year) -> (newest, oldest) figure year of the area's pictures of
    earlier years, for the changes against them (with year, the card's own year).
    """
    newest, oldest = row["newest_period"], row["oldest_period"]
    n_ranked = row["n_ranked"]
    score = row["score"]
    missing = fmt.is_missing(score)
    rank_text = (fmt.MISSING if fmt.is_missing(n_ranked)
                 else fmt.rank(row["rank"], int(n_ranked), lang))
    interval = fmt.rank_interval(row["rank_low"], row["rank_high"])
    if missing:  # nothing to compare: no score this year
        change_1y = change_5y = changes.score_change(None, None, lang)
    else:
        bases = base_ages if base_ages is not None and year is not None else {}
        change_1y, change_5y = (
            _with_base_years(changes.score_change(row[f"change_{lag}y"],
                                                  row[f"change_{lag}y_note"], lang, newest),
                             bases.get((row["dimension"], (year or 0) - lag)),
                             (year or 0) - lag, lang)
            for lag in (1, 5))
    lines = [] if change_1y.shown or missing else [t("region.change_1y_line", lang,
                                                     change=change_1y.text)]
    if not missing:
        lines.append(t("region.change_5y_line", lang, change=change_5y.text))
    return Card(
        dimension=row["dimension"], label=label, help=help_text,
        score=float("nan") if missing else float(score), score_text=fmt.number(score, 1, lang),
        rank_text=rank_text, interval_text=interval, change_1y=change_1y, change_5y=change_5y,
        ages_text=ages.span_text(newest, oldest, lang),
        ages_short=ages.short_span(newest, oldest),
        notes=() if missing else ages.score_notes(row["n_indicators"], row["n_carried"], lang),
        missing_text=(t("region.score_missing", lang, n=fmt.year(row["n_indicators"]))
                      if missing else ""),
        rank_line="" if missing else t("region.rank_line", lang, rank=rank_text,
                                       interval=interval),
        change_lines=tuple(lines))


def _scores_table(cards: Sequence[Card], lang: str) -> Table:
    """Return the cards as the brief's scores table (score, rank, interval, changes, years)."""
    rows = []
    for i, c in enumerate(cards):
        tone = "strong" if i == 0 else ""
        rows.append((cell(Span(c.label, tone)), cell(Span(c.score_text, tone)),
                     cell(c.rank_text), cell(c.interval_text), cell(c.change_1y.span()),
                     cell(c.change_5y.span()), cell(c.ages_short)))
    return Table(columns=(t("col.dimension", lang), t("col.score", lang), t("col.rank", lang),
                          t("col.interval", lang), t("col.change_1y", lang),
                          t("col.change_5y", lang), t("col.years", lang)),
                 rows=tuple(rows),
                 align=("left", "right", "right", "right", "right", "right", "right"))


def _breaks_of(frames: PictureFrames, level: str = "region") -> dict[str, pd.DataFrame]:
    """Return indicator -> its recorded breaks (period, kind) at an area level."""
    part = frames.breaks[frames.breaks["level"] == level]
    return {i: g[["period", "kind"]] for i, g in part.groupby("indicator_id")}


def _key_rows(frames: PictureFrames, area: str, year: int, lang: str) -> tuple[KeyRow, ...]:
    """Return the key indicators: value and its year, change as shown, country, series."""
    obs = frames.observations
    obs = obs[obs["area_code"].isin([area, COUNTRY_CODE]) & (obs["period"] <= year)
              & obs["value"].notna()]
    values: dict[tuple[str, str], dict[int, float]] = {}
    partial: set[tuple[str, str, int]] = set()  # part-year means: shown marked, never charted
    flags = obs["flag"] if "flag" in obs else pd.Series(None, index=obs.index)
    for ind, code, period, value, flag in zip(obs["indicator_id"], obs["area_code"],
                                              obs["period"], obs["value"], flags, strict=True):
        values.setdefault((ind, code), {})[int(period)] = float(value)
        if flag == "partial":
            partial.add((ind, code, int(period)))
    breaks = _breaks_of(frames)
    no_breaks = pd.DataFrame({"period": [], "kind": []})
    periods = tuple(range(year - TREND_YEARS + 1, year + 1))
    nan = float("nan")
    rows = []
    inds = frames.indicators[frames.indicators["key"].fillna(False).astype(bool)]
    for ind in inds.to_dict("records"):
        ident = ind["id"]
        decimals = 1 if fmt.is_missing(ind["decimals"]) else int(ind["decimals"])
        unit = ind[f"unit_{lang}"] if isinstance(ind[f"unit_{lang}"], str) else ""
        own = values.get((ident, area), {})
        country = values.get((ident, COUNTRY_CODE), {})
        period = max(own) if own else None
        own_breaks = breaks.get(ident, no_breaks)
        rows.append(KeyRow(
            indicator_id=ident, label=ind[f"label_{lang}"], unit=unit,
            value_text=fmt.number(own.get(period, nan), decimals, lang),
            year_text=(f"{fmt.year(period)}, {t('flag.mark_partial', lang)}"
                       if (ident, area, period) in partial else fmt.year(period)),
            change=changes.value_change(own, period, year, own_breaks, decimals,
                                        ind["direction"], lang),
            country_text=fmt.number(country.get(period, nan) if period else nan, decimals,
                                    lang),
            periods=periods,
            values=tuple(nan if (ident, area, p) in partial else own.get(p, nan)
                         for p in periods),
            country_values=tuple(nan if (ident, COUNTRY_CODE, p) in partial
                                 else country.get(p, nan) for p in periods),
            breaks=tuple((int(p), str(k)) for p, k in zip(own_breaks["period"],
                                                          own_breaks["kind"], strict=True))))
    return tuple(rows)


def key_table(rows: Sequence[KeyRow], region: str, lang: str) -> Table:
    """Return the key indicators as a three-column table that fits a phone's width.

    Indicator with its unit | the region's value, year and change | the country's value.
    """
    body = []
    for r in rows:
        label = f"{r.label}, {r.unit}" if r.unit else r.label
        value = cell(Span(r.value_text, "strong"),
                     Span(f"({r.year_text})", "muted") if r.value_text != fmt.MISSING else None,
                     r.change.span() if r.change.text != fmt.MISSING else None)
        body.append((cell(label), value, cell(r.country_text)))
    return Table(columns=(t("col.indicator", lang), region, t("col.country", lang)),
                 rows=tuple(body), align=("left", "right", "right"))


def key_table_print(rows: Sequence[KeyRow], lang: str) -> Table:
    """Return the key indicators for print: value, unit, year, change and country apart."""
    body = [(cell(r.label), cell(Span(r.value_text, "strong")), cell(Span(r.unit, "muted")),
             cell(r.year_text), cell(r.change.span()), cell(r.country_text)) for r in rows]
    return Table(columns=(t("col.indicator", lang), t("col.value", lang), t("col.unit", lang),
                          t("col.year", lang), t("col.change", lang), t("col.country", lang)),
                 rows=tuple(body), align=("left", "right", "left", "right", "right", "right"))


def _peer_score(lookup: dict, code: str, dim: str, lang: str,
                strong: bool = False) -> list[Span]:
    """Return an area's score in a dimension with its rank in brackets (muted), as shown."""
    row = lookup.get((code, dim))
    value = None if row is None else row["score"]
    spans = [Span(fmt.number(value, 1, lang), "strong" if strong else "")]
    if row is not None and not fmt.is_missing(value) and not fmt.is_missing(row["rank"]) \
            and not fmt.is_missing(row["n_ranked"]):
        spans.append(Span(f"({fmt.rank(row['rank'], int(row['n_ranked']), lang)})", "muted"))
    return spans


def _score_lookup(scores: pd.DataFrame) -> dict:
    """Return (area, dimension) -> its scores row."""
    return {(a, d): r for a, d, r in zip(scores["area_code"], scores["dimension"],
                                         scores.to_dict("records"), strict=True)}


def peers_table(scores: pd.DataFrame, area: str, year: int,
                peer_codes: Sequence[str], dim_ids: Sequence[str], labels: dict[str, str],
                names: AreaNames, lang: str) -> Table:
    """Return overall + dimensions × (region, peers and country), narrow enough for a phone.

    The peers and then the country share one column ('Etelä-Savo 45,1 (14./18) · Kainuu … ·
    Koko maa 57,7'), each peer with its rank.
    """
    lookup = _score_lookup(scores)
    body = []
    for dim in [OVERALL, *dim_ids]:
        others: list[Span] = []
        for i, code in enumerate([*peer_codes, COUNTRY_CODE]):
            others += [Span(("· " if i else "") + names.name(code)),
                       *_peer_score(lookup, code, dim, lang)]
        body.append((cell(Span(labels[dim], "strong" if dim == OVERALL else "")),
                     cell(*_peer_score(lookup, area, dim, lang, strong=True)), cell(*others)))
    return Table(columns=(t("col.dimension", lang), names.name(area),
                          t("region.peers_column", lang)),
                 rows=tuple(body), align=("left", "right", "left"))


def peers_table_print(scores: pd.DataFrame, area: str, peer_codes: Sequence[str],
                      dim_ids: Sequence[str], labels: dict[str, str], names: AreaNames,
                      lang: str) -> Table:
    """Return the peers table for print: one column per area, one line per dimension.

    The same scores and ranks as peers_table: the region, each peer, then the country.
    """
    lookup = _score_lookup(scores)
    codes = [area, *peer_codes, COUNTRY_CODE]
    body = tuple(
        (cell(Span(labels[dim], "strong" if dim == OVERALL else "")),
         *(cell(*_peer_score(lookup, code, dim, lang, strong=code == area)) for code in codes))
        for dim in [OVERALL, *dim_ids])
    return Table(columns=(t("col.dimension", lang), *(names.name(c) for c in codes)),
                 rows=body, align=("left", *("right" for _ in codes)))


def _short_table(table_id: object) -> str:
    """Return the short names of a source's table ids ('vaerak/11ra.px' -> '11ra')."""
    if fmt.is_missing(table_id):
        return ""
    parts = []
    for part in str(table_id).split(";"):
        name = part.strip().rsplit("/", 1)[-1].removesuffix(".px")
        if name and name not in parts:
            parts.append(name)
    return ", ".join(parts)


def source_lines(frames: PictureFrames, area: str, lang: str) -> tuple[str, ...]:
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
    return tuple(t("brief.source_line", lang, publisher=p, licence=tables.licence_text(lic, lang),
                   tables=tables.localise(", ".join(n), lang))
                 for (p, lic), n in sorted(groups.items()))


def method_version(scores: pd.DataFrame, year: int, meta: dict[str, str], lang: str) -> str:
    """Return the scoring method version of the year's scores ('tk-2026.2'), else a plain text."""
    part = scores.loc[scores["period"] == year, "method"].dropna()
    if len(part):
        return str(part.iloc[0]).split(":", 1)[0]
    return meta.get("method_version") or t("brief.method_unknown", lang)


def subtitle(frames: PictureFrames, year: int, lang: str) -> str:
    """Return the data-date line: the picture's year, the build and the sources' dates."""
    return freshness(frames, lang, "region.subtitle", year=fmt.year(year))


def freshness(frames: PictureFrames, lang: str, key: str, **fields: object) -> str:
    """Return key's text (with built= and run=) · the sources' update or fetch dates."""
    fresh = frames.freshness
    run = fmt.date(fresh.get("last_run"), lang) if fresh.get("last_run") else t(
        "common.no_runs", lang)
    parts = [t(key, lang, built=fmt.date(fresh.get("built_at"), lang), run=run, **fields)]
    if fresh.get("updated_max"):
        dates = [fmt.date(fresh.get(k), lang) for k in ("updated_min", "updated_max")]
        parts.append(t("common.sources_dates", lang, dates="–".join(dict.fromkeys(dates))))
    elif fresh.get("fetched_max"):
        parts.append(t("common.sources_fetched", lang,
                       date=fmt.date(fresh.get("fetched_max"), lang)))
    return " · ".join(parts)


def _labels(lang: str, year: int) -> dict[str, str]:
    """Return the picture's section titles in lang."""
    keys = {"scores_title": ("region.scores_title", {"year": year}),
            "radar_title": ("region.radar_title", {}), "sw_title": ("region.sw_title", {}),
            "strengths": ("region.strengths", {}), "weaknesses": ("region.weaknesses", {}),
            "extremes": ("region.extremes_title", {}), "key_title": ("region.key_title", {}),
            "peers_title": ("region.peers_title", {}), "map_title": ("region.map_title", {}),
            "trends_title": ("region.trends_title", {}), "trends_none": ("brief.trends_none", {}),
            "sources_title": ("brief.sources_title", {}),
            "notices_title": ("age.notices_title", {}),
            "vs_previous_year": ("region.vs_previous_year", {})}
    return {name: t(key, lang, **kw) for name, (key, kw) in keys.items()}


def build_region_picture(frames: PictureFrames, area_code: str, lang: str,
                         year: int | None = None, today: dt.date | None = None
                         ) -> RegionPicture:
    """Return the picture of one region in one language for a year (default: the newest).

    today: the date the ages are judged against (default: the real date). Raises PictureError
    for an unknown region or language or a year without figures.
    """
    if lang not in LANGUAGES:
        raise PictureError(f"Unsupported language '{lang}'; use one of {', '.join(LANGUAGES)}.")
    regions = region_codes(frames)
    if area_code not in regions:
        raise PictureError(f"Unknown region code '{area_code}'; use one of "
                           f"{', '.join(regions) or '(none in the warehouse)'}.")
    year = resolve_year(frames, year)
    today = today or dt.date.today()
    names = area_names(frames.areas, lang)
    region = names.name(area_code)
    region_gen = names.genitive(area_code)
    dim_ids = list(frames.dimensions["id"])
    dim_labels = tables.labels(frames.dimensions, lang)
    dim_help = tables.labels(frames.dimensions, lang, "description")
    labels = {OVERALL: t("common.overall", lang), **dim_labels}
    helps = {OVERALL: t("region.overall_help", lang), **dim_help}
    scores = frames.scores[frames.scores["period"] == year]

    rows = tables.dimension_rows(scores, area_code, year, dim_ids)
    own = frames.scores[frames.scores["area_code"] == area_code]
    base_ages = {(d, int(p)): (n, o) for d, p, n, o in zip(
        own["dimension"], own["period"], own["newest_period"], own["oldest_period"],
        strict=True)}
    cards = tuple(_card(r, labels[r["dimension"]], helps[r["dimension"]], lang, year, base_ages)
                  for r in rows.to_dict("records"))
    has_scores = any(c.has_score for c in cards)
    missing = [c.label for c in cards if not c.has_score]
    if not has_scores:
        no_scores = t("region.no_scores", lang, region=region_gen, year=year)
    elif missing:
        no_scores = t("region.some_missing", lang, names=", ".join(missing))
    else:
        no_scores = ""
    overall = rows.iloc[0]
    notices = [n for n in (
        ages.stale_notice(overall["newest_period"], today, lang, region_gen),
        ages.old_notice([(c.label, int(r["oldest_period"])) for c, r in zip(
            cards[1:], rows.to_dict("records")[1:], strict=True)
            if c.has_score and ages.is_old(r["oldest_period"], today)], today, lang)) if n]

    peers = frames.peers
    if "period" in peers:
        peers = peers[peers["period"] == year]
    peer_codes = [c for c in peers[peers["area_code"] == area_code].sort_values(
        "peer_rank")["peer_code"] if c in set(regions)]
    units = tables.units(frames.indicators, lang)
    sw = engine.strengths(frames.scores, frames.indicator_scores, area_code, year, peer_codes)
    said = sentences.sentences(sw, lang, dim_labels, units)
    rules = sorted({s.rule for s in said if s.rule})
    sw_rule = (t("region.sw_rule", lang, rules="; ".join(sentences.rule_text(r, lang)
                                                          for r in rules))
               if rules else t("region.sw_rule_default", lang))
    extremes = sentences.extremes_text(
        engine.extremes(frames.scores, frames.indicator_scores, area_code, year), lang,
        dim_labels, units, region_gen) if has_scores else ()

    own = tables.dimension_vector(scores, area_code, year, dim_ids)
    country = tables.dimension_vector(scores, COUNTRY_CODE, year, dim_ids)
    radar = RadarData(labels=tuple(dim_labels[d] for d in dim_ids), values=tuple(own),
                      country=tuple(country),
                      region_label=t("brief.radar_region", lang, region=region, year=year),
                      country_label=names.name(COUNTRY_CODE),
                      no_data_label=t("common.no_data", lang),
                      caption=t("region.radar_alt", lang, region=region_gen, year=year))
    key_rows = _key_rows(frames, area_code, year, lang)
    first = year - TREND_YEARS + 1
    if peer_codes:
        peers_note = (t("brief.peer_codes", lang, names=", ".join(names.name(c)
                                                                    for c in peer_codes))
                      + " " + t("region.peers_note", lang))
    else:
        peers_note = t("region.no_peers", lang)
    version = method_version(frames.scores, year, frames.meta, lang)
    points = fmt.number(engine.STRENGTH_THRESHOLD, 0, lang)
    return RegionPicture(
        lang=lang, area_code=area_code, region_name=region, year=year, today=today,
        kicker=t("brief.kicker", lang),
        doc_title=t("brief.doc_title", lang, region=region, year=year),
        subtitle=subtitle(frames, year, lang),
        ages_text=ages.span_text(overall["newest_period"], overall["oldest_period"], lang),
        notices=tuple(notices), labels=_labels(lang, year), cards=cards,
        scores_table=_scores_table(cards, lang),
        card_notes=tuple(t("region.card_note", lang, label=c.label, note=n)
                         for c in cards for n in c.notes), no_scores_text=no_scores,
        scores_note=t("region.scores_note", lang), radar=radar,
        strengths=tuple(s.text for s in said if s.kind == "strength"),
        weaknesses=tuple(s.text for s in said if s.kind == "weakness"), extremes=extremes,
        strengths_empty=(t("region.sw_none_strength", lang, points=points) if has_scores
                         else t("brief.sw_no_scores", lang)),
        weaknesses_empty=(t("region.sw_none_weakness", lang, points=points) if has_scores
                          else t("brief.sw_no_scores", lang)),
        sw_rule=sw_rule, key_rows=key_rows, key_table=key_table(key_rows, region, lang),
        key_table_print=key_table_print(key_rows, lang),
        key_note=" ".join([t("region.key_note", lang, year=year)] + (
            [t("flag.partial", lang)] if any(t("flag.mark_partial", lang) in r.year_text
                                             for r in key_rows) else [])),
        trend_caption=t("brief.trends_caption", lang, first=first, last=year, region=region),
        peers=peers_table(scores, area_code, year, peer_codes, dim_ids, labels, names,
                          lang),
        peers_print=peers_table_print(scores, area_code, peer_codes, dim_ids, labels, names,
                                      lang),
        peers_note=peers_note, map_caption=t("region.map_alt", lang, region=region),
        sources=source_lines(frames, area_code, lang),
        licence_note=t("brief.licence_note", lang),
        method_text=t("brief.method", lang, version=version), method_version=version,
        missing_note=t("common.missing_mark_note", lang),
        generated_text=t("brief.generated", lang, date=fmt.date(today.isoformat(), lang),
                         code=area_code),
        file_stem=file_stem(year, area_code, region, lang))


def cells_of(table: Table) -> list[str]:
    """Return every cell of a table as plain text (for comparing renderings)."""
    return [text for row in table.plain_rows() for text in row]
