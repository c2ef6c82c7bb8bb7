"""The ALKE sections of a region's picture, one view-model for the page and the brief alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indicators import assessments
from presentation.alerts_view import AlertsView, build_alerts_view
from presentation.alke_frames import AlkeFrames
from presentation.assessment_view import AssessmentView, build_assessment_view
from presentation.fast import FastView, build_fast_view
from presentation.i18n import t
from presentation.industry_view import IndustryView, build_industry_view
from presentation.names import area_names
from presentation.twins_view import TwinsView, build_twins_view


@dataclass(frozen=True)
class AlkePicture:
    """The fast picture, the alerts, the region's own assessment, industry structure and EU twins.

    year: the year of the discussion (the assessment's year); the figures carry their own.
    title, intro: the ALKE page's heading and what it holds; link, link_help: the region page's
    link to it.
    """

    area_code: str
    year: int
    lang: str
    title: str
    intro: str
    link: str
    link_help: str
    fast: FastView
    alerts: AlertsView
    assessment: AssessmentView
    industry: IndustryView
    twins: TwinsView


def build_alke_picture(frames: AlkeFrames, area_code: str, lang: str, year: int,
                       assessments_root: Path | str | None = None) -> AlkePicture:
    """Return the ALKE sections of a region for the year of the discussion, in lang.

    assessments_root: the folder of the regions' own texts (default: the repository's).
    """
    if assessments_root is None:
        assessments_root = assessments.ASSESSMENTS_DIR
    names = area_names(frames.areas, lang)
    return AlkePicture(
        area_code=area_code, year=int(year), lang=lang,
        title=t("alke.title", lang, name=names.name(area_code)),
        intro=t("alke.intro", lang, genitive=names.genitive(area_code)),
        link=t("alke.link", lang),
        link_help=t("alke.link_help", lang, genitive=names.genitive(area_code)),
        fast=build_fast_view(frames, area_code, lang),
        alerts=build_alerts_view(frames, area_code, lang),
        assessment=build_assessment_view(area_code, int(year), lang, assessments_root),
        industry=build_industry_view(frames, area_code, lang),
        twins=build_twins_view(frames, area_code, lang))
