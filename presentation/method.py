"""MethodPicture: the method in plain words, the indicators and their sources, the coverage.

The scoring rules are stated in the reader's language with the engine's own numbers (no code
names); the technical document (docs/methodology.md) is offered beside them for the specialist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import method as engine
from presentation import format as fmt
from presentation import tables
from presentation.frames import OVERALL, PictureFrames
from presentation.i18n import t
from presentation.names import area_names
from presentation.region import freshness, method_version

ORIGINS = {"snapshot": "method.origin_snapshot", "live": "method.origin_live"}


@dataclass(frozen=True)
class IndicatorEntry:
    """One indicator as the method page describes it, in the reader's language."""

    label: str
    facts: str
    description: str
    source: str
    publisher_link: str | None
    licence: str
    licence_link: str | None


@dataclass(frozen=True)
class SourceEntry:
    """One source table: publisher, table, licence, dates and the indicators it gives."""

    publisher: str
    table: str
    licence: str
    licence_link: str | None
    dates: str
    indicators: str


@dataclass(frozen=True)
class MethodPicture:
    """Everything the method page shows that does not depend on a widget."""

    lang: str
    title: str
    freshness: str
    intro: str
    rules: tuple[str, ...]
    version_text: str
    example_title: str
    example_text: str
    example_bars: pd.DataFrame
    example_caption: str
    glossary: tuple[tuple[str, tuple[IndicatorEntry, ...]], ...]
    sources: tuple[SourceEntry, ...]
    provenance: pd.DataFrame
    provenance_title: str
    runs_text: str


def _share(share: tuple[int, int]) -> str:
    """Return a share as 'n/m'."""
    return f"{share[0]}/{share[1]}"


def rules(lang: str, version: str) -> tuple[str, ...]:
    """Return the scoring rules in plain words with the engine's numbers."""
    low, high = engine.RANK_PERCENTILES
    return (
        t("method.rule_normalise", lang),
        t("method.rule_aggregate", lang),
        t("method.rule_age", lang, years=engine.MAX_AGE_YEARS),
        t("method.rule_coverage", lang, dimension=_share(engine.DIMENSION_COVERAGE),
          overall=_share(engine.OVERALL_COVERAGE)),
        t("method.rule_changes", lang),
        t("method.rule_uncertainty", lang, draws=fmt.number(engine.MC_DRAWS, 0, lang),
          low=low, high=high),
        t("method.rule_peers", lang, n=engine.PEER_COUNT),
        t("method.rule_strengths", lang, points=fmt.number(engine.STRENGTH_THRESHOLD, 0, lang)),
        t("method.rule_context", lang),
        t("method.rule_version", lang, version=version),
    )


def _glossary(frames: PictureFrames, lang: str, links: dict
              ) -> tuple[tuple[str, tuple[IndicatorEntry, ...]], ...]:
    """Return per dimension its indicators with facts, description and source."""
    dims = tables.labels(frames.dimensions, lang)
    out = []
    for dim, label in dims.items():
        part = frames.indicators[frames.indicators["dimension"] == dim]
        entries = []
        for row in part.to_dict("records"):
            direction = t("explorer.higher_better" if row["direction"] == "higher_better"
                          else "explorer.lower_better", lang)
            facts = [row[f"unit_{lang}"], direction]
            if row.get("scored") is False:
                facts.append(t("method.context_indicator", lang))
            entries.append(IndicatorEntry(
                label=row[f"label_{lang}"], facts=", ".join(f for f in facts if f),
                description=row[f"description_{lang}"],
                source=", ".join(x for x in (tables.localise(row["source_publisher"], lang),
                                             tables.localise(row["source_table"], lang)) if x),
                publisher_link=tables.link_for(row["source_publisher"], links["publisher"]),
                licence=tables.licence_text(row["source_licence"], lang),
                licence_link=tables.link_for(row["source_licence"], links["licence"])))
        out.append((label, tuple(entries)))
    return tuple(out)


def _sources(frames: PictureFrames, lang: str, links: dict) -> tuple[SourceEntry, ...]:
    """Return one entry per source table, with the indicators whose figures it gives."""
    labels = tables.labels(frames.indicators, lang)
    used = frames.observations.groupby("source_id")["indicator_id"].unique()
    out = []
    for row in frames.sources.to_dict("records"):
        ids = used.get(row["source_id"], [])
        dates = [t("method.updated", lang, date=fmt.date(row["updated"], lang))
                 if not fmt.is_missing(row["updated"]) and str(row["updated"]).strip() else "",
                 t("method.fetched", lang, date=fmt.date(row["fetched_at"], lang))
                 if not fmt.is_missing(row["fetched_at"]) and str(row["fetched_at"]).strip()
                 else ""]
        out.append(SourceEntry(
            publisher=tables.localise(row["publisher"], lang),
            table=tables.localise(row["table_id"], lang) or str(row["source_id"]),
            licence=tables.licence_text(row["licence"], lang),
            licence_link=tables.link_for(row["licence"], links["licence"]),
            dates=" · ".join(d for d in dates if d),
            indicators=", ".join(labels.get(i, i) for i in ids)))
    return tuple(out)


def build_method_picture(frames: PictureFrames, area: str, year: int | None,
                         lang: str) -> MethodPicture:
    """Return the method page's picture; the worked example is of area in year."""
    links = tables.load_links()
    names = area_names(frames.areas, lang)
    version = method_version(frames.scores, year, frames.meta, lang) if year else t(
        "brief.method_unknown", lang)
    example_text, bars = "", pd.DataFrame(columns=["group", "name", "score", "colour"])
    region = names.genitive(area)
    row = frames.scores[(frames.scores["area_code"] == area) & (frames.scores["period"] == year)
                        & (frames.scores["dimension"] == OVERALL)]
    if len(row) and not fmt.is_missing(row["score"].iloc[0]):
        r = row.iloc[0]
        example_text = t("method.example_text", lang, region=names.name(area),
                         score=fmt.number(r["score"], 1, lang),
                         rank=(fmt.MISSING if fmt.is_missing(r["n_ranked"])
                               else fmt.rank(r["rank"], int(r["n_ranked"]), lang)),
                         interval=fmt.rank_interval(r["rank_low"], r["rank_high"]),
                         n=fmt.year(r["n_indicators"]))
        ind = frames.indicator_scores[(frames.indicator_scores["area_code"] == area)
                                      & (frames.indicator_scores["period"] == year)]
        scored = frames.indicators
        if "scored" in scored:
            scored = scored[scored["scored"].fillna(True).astype(bool)]
        merged = scored[["id", "dimension"]].merge(ind[["indicator_id", "score"]], how="left",
                                                   left_on="id", right_on="indicator_id")
        dims = tables.labels(frames.dimensions, lang)
        colours = dict(zip(frames.dimensions["id"], frames.dimensions["color"], strict=True))
        bars = pd.DataFrame({"group": merged["dimension"].map(dims),
                             "name": merged["id"].map(tables.labels(frames.indicators, lang)),
                             "score": merged["score"],
                             "colour": merged["dimension"].map(colours)})
    origin = frames.meta.get("built_from", "")
    provenance = pd.DataFrame({
        "source_id": frames.sources["source_id"], "title": frames.sources["title"],
        "origin": frames.sources["origin"], "derivation": frames.sources["derivation"]})
    return MethodPicture(
        lang=lang, title=t("method.title", lang),
        freshness=freshness(frames, lang, "method.freshness"),
        intro=t("method.intro", lang), rules=rules(lang, version),
        version_text=t("method.version", lang, version=version),
        example_title=t("method.example_title", lang, region=region, year=fmt.year(year)),
        example_text=example_text, example_bars=bars,
        example_caption=t("method.example_alt", lang, region=region, year=fmt.year(year)),
        glossary=_glossary(frames, lang, links), sources=_sources(frames, lang, links),
        provenance=provenance, provenance_title=t("method.provenance_title", lang),
        runs_text=t("method.runs_text", lang,
                    built=fmt.date(frames.freshness.get("built_at"), lang),
                    origin=t(ORIGINS[origin], lang) if origin in ORIGINS else origin
                    or fmt.MISSING))


@dataclass(frozen=True)
class CoveragePicture:
    """The coverage matrices of one area level: per dimension indicators × years."""

    level: str
    n_areas: int
    note: str
    matrices: tuple[tuple[str, pd.DataFrame, pd.DataFrame, str], ...]


def build_coverage_picture(coverage: pd.DataFrame, indicators: pd.DataFrame,
                           dimensions: pd.DataFrame, areas: pd.DataFrame, level: str,
                           lang: str) -> CoveragePicture:
    """Return how many areas of a level have a value, per dimension, indicator and year."""
    n_areas = int((areas["level"] == level).sum())
    level_name = t({"region": "level.region", "subregion": "level.subregion",
                    "municipality": "level.municipality"}[level], lang)
    labels = tables.labels(indicators, lang)
    out = []
    for dim, title in tables.labels(dimensions, lang).items():
        matrix = tables.coverage_matrix(coverage, list(indicators["id"]), dim, level)
        if matrix.empty:
            continue
        text = matrix.map(lambda v: fmt.MISSING if fmt.is_missing(v) else str(int(v)))
        matrix.index = text.index = [labels[i] for i in matrix.index]
        matrix.columns = text.columns = [str(c) for c in matrix.columns]
        out.append((title, matrix, text, t("method.coverage_alt", lang, dimension=title)))
    return CoveragePicture(level=level, n_areas=n_areas,
                           note=t("method.coverage_note", lang, n=n_areas, level=level_name),
                           matrices=tuple(out))


RUN_COLUMNS = {"run_id": "col.run", "source_id": "col.source", "started_at": "col.started",
               "finished_at": "col.finished", "status": "col.status", "rows": "col.rows",
               "message": "col.message"}


def runs_table(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the ETL run log with its headings in lang."""
    return runs.rename(columns={c: t(k, lang) for c, k in RUN_COLUMNS.items()})
