"""The industry structure's view-model: shares against the country, quotients, diversity, growth."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import industry as engine
from presentation import format as fmt
from presentation.alke_frames import AlkeFrames
from presentation.display import Span, Table, cell
from presentation.exports import Download
from presentation.i18n import t
from presentation.names import area_names

CHART_SECTIONS = 10  # the largest sections drawn
PRINT_SECTIONS = 10  # the largest sections in the brief's table


@dataclass(frozen=True)
class IndustryChart:
    """The chart's data: the largest sections, the region's and the country's share (%)."""

    labels: tuple[str, ...]
    shares: tuple[float, ...]
    country_shares: tuple[float, ...]
    caption: str
    lang: str


@dataclass(frozen=True)
class GrowthList:
    """The fastest growing or shrinking sections over one span, as plain lines."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class IndustryView:
    """A region's industry structure in the newest year with figures (None = no data)."""

    area_code: str
    lang: str
    year: int | None
    title: str
    intro: str
    table: Table | None
    table_title: str
    table_print: Table | None
    notes: tuple[str, ...]
    growth: tuple[GrowthList, ...]
    chart: IndustryChart | None
    source: str
    download: Download | None = None


def _labels(frames: AlkeFrames, lang: str) -> dict[str, str]:
    """Return section code -> its TOL 2008 name in lang."""
    return dict(zip(frames.industries["code"], frames.industries[f"label_{lang}"], strict=True))


def _narrow_table(sections: pd.DataFrame, labels: dict[str, str], lang: str) -> Table:
    """Return the sections in three columns for a phone: name | employed (share) | country, LQ.

    The same figures as _table: the region's employed with its share, the country's share
    and the location quotient.
    """
    rows = tuple(
        (cell(labels.get(r.industry, r.industry)),
         cell(Span(fmt.number(r.value, 0, lang), "strong"),
              Span(f"({fmt.number(r.share, 1, lang)} %)", "muted")),
         cell(f"{fmt.number(r.country_share, 1, lang)} % · {fmt.number(r.lq, 2, lang)}"))
        for r in sections.itertuples())
    columns = (t("industry.col_industry", lang), t("industry.col_employed_share", lang),
               t("industry.col_country_lq", lang))
    return Table(columns, rows, ("left", "right", "right"))


def _table(sections: pd.DataFrame, labels: dict[str, str], lang: str) -> Table:
    """Return the sections, largest first: employed, share, country's share, quotient."""
    rows = tuple(
        (cell(labels.get(r.industry, r.industry)), cell(fmt.number(r.value, 0, lang)),
         cell(fmt.number(r.share, 1, lang)), cell(fmt.number(r.country_share, 1, lang)),
         cell(fmt.number(r.lq, 2, lang)))
        for r in sections.itertuples())
    columns = (t("industry.col_industry", lang), t("industry.col_employed", lang),
               t("industry.col_share", lang), t("industry.col_country_share", lang),
               t("industry.col_lq", lang))
    return Table(columns, rows)


def _growth(profile: engine.IndustryProfile, labels: dict[str, str],
            lang: str) -> tuple[GrowthList, ...]:
    """Return the fastest growing and shrinking sections over each span."""
    out = []
    for span in engine.INDUSTRY_SPANS:
        first = profile.year - span
        for key, rows in (("industry.growing", profile.growing.get(span)),
                          ("industry.shrinking", profile.shrinking.get(span))):
            title = t(key, lang, first=first, last=profile.year)
            if rows is None or profile.from_year.get(span) is None:
                out.append(GrowthList(title, (t("industry.no_growth", lang, first=first),)))
                continue
            lines = tuple(t("industry.move", lang, industry=labels.get(r.industry, r.industry),
                            pct=fmt.signed(r.change_pct, 1, lang),
                            change=fmt.signed(r.change, 0, lang),
                            country=fmt.signed(r.country_change_pct, 1, lang))
                          for r in rows.itertuples())
            out.append(GrowthList(title, lines))
    return tuple(out)


def build_industry_view(frames: AlkeFrames, area_code: str, lang: str,
                        year: int | None = None) -> IndustryView:
    """Return the region's industry structure in lang (default: the newest year with figures)."""
    name = area_names(frames.areas, lang).name(area_code)
    source = t("industry.source", lang)
    try:
        profile = engine.profile(frames.industry_employment, area_code, year)
    except engine.NoIndustryData:
        return IndustryView(area_code, lang, None, t("industry.title", lang, year=fmt.MISSING),
                            t("industry.none", lang), None, "", None, (), (), None, source)
    labels = _labels(frames, lang)
    ordered = profile.sections.sort_values(["value", "industry"], ascending=[False, True])
    ordered = ordered[ordered["value"].notna()]
    notes = [t("industry.lq_note", lang)]
    if not pd.isna(profile.diversity):
        rank = (fmt.MISSING if profile.diversity_rank is None
                else fmt.rank(profile.diversity_rank, profile.n_ranked, lang))
        notes.append(t("industry.diversity", lang, value=fmt.number(profile.diversity, 3, lang),
                       country=fmt.number(profile.country_diversity, 3, lang), rank=rank))
    if not pd.isna(profile.concentration):
        notes.append(t("industry.concentration", lang,
                       sections=", ".join(labels.get(c, c).lower() if lang != "en"
                                          else labels.get(c, c)
                                          for c in profile.concentration_sections),
                       value=fmt.number(profile.concentration, 1, lang),
                       country=fmt.number(profile.country_concentration, 1, lang)))
    top = ordered.head(CHART_SECTIONS)
    chart = IndustryChart(tuple(labels.get(c, c) for c in top["industry"]),
                          tuple(float(v) for v in top["share"]),
                          tuple(float(v) for v in top["country_share"]),
                          t("industry.chart_caption", lang, year=profile.year, name=name), lang)
    shown = pd.DataFrame({
        t("industry.col_industry", lang): [labels.get(c, c) for c in ordered["industry"]],
        t("industry.col_employed", lang): ordered["value"].to_numpy(),
        t("industry.col_share", lang): ordered["share"].to_numpy(),
        t("industry.col_country_share", lang): ordered["country_share"].to_numpy(),
        t("industry.col_lq", lang): ordered["lq"].to_numpy()})
    machine = ordered.assign(area_code=area_code, period=profile.year)
    download = Download(name=f"tilannekuva_toimialat_{area_code}_{profile.year}", lang=lang,
                        shown=shown, machine=machine,
                        decimals={t("industry.col_employed", lang): 0,
                                  t("industry.col_share", lang): 1,
                                  t("industry.col_country_share", lang): 1,
                                  t("industry.col_lq", lang): 2})
    return IndustryView(
        download=download,
        area_code=area_code, lang=lang, year=profile.year,
        title=t("industry.title", lang, year=profile.year),
        intro=t("industry.intro", lang, year=profile.year,
                employed=fmt.number(profile.employed, 0, lang),
                unknown=fmt.number(profile.unknown_share, 1, lang)),
        table=_narrow_table(ordered, labels, lang),
        table_title=t("industry.table_title", lang, year=profile.year),
        table_print=_table(ordered.head(PRINT_SECTIONS), labels, lang), notes=tuple(notes),
        growth=_growth(profile, labels, lang), chart=chart, source=source)
