"""What the printed brief shows of the longer views: the same in the PDF and the HTML.

The brief prints the newest few alert episodes (and says how many more there are and where)
and the trends of the key indicators with a comparable series (and names the others); the
region page shows everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from presentation.alerts_view import AlertItem, AlertsView
from presentation.assessment_view import AssessmentView
from presentation.i18n import t
from presentation.region import RegionPicture
from presentation.static_charts import MIN_TREND_YEARS, print_trend_rows

MAX_ALERTS = 2  # alert episodes the brief prints at most (the newest), unless compacted


@dataclass(frozen=True)
class PrintedAlerts:
    """The alert episodes the brief prints: the page's first rows, and what is left out."""

    recent: tuple[AlertItem, ...]
    earlier: tuple[AlertItem, ...]
    earlier_title: str
    more: str  # how many more there are and where ('' when every episode is printed)


def alerts(view: AlertsView, limit: int = MAX_ALERTS) -> PrintedAlerts:
    """Return the newest episodes up to limit: the recent ones first, then the earlier ones.

    Both lists are the first rows of the page's lists (the page lists the recent ones and the
    newest earlier ones; its download holds every episode).
    """
    recent = view.recent[:limit]
    earlier = view.earlier[:max(0, limit - len(recent))]
    shown = len(recent) + len(earlier)
    total = len(view.download.shown) if view.download is not None else len(view.recent) + len(
        view.earlier)
    key = "brief.alerts_shown_one" if shown == 1 else "brief.alerts_shown"
    more = t(key, view.lang, shown=shown, total=total) if shown < total else ""
    return PrintedAlerts(recent, earlier, t("brief.alerts_earlier", view.lang), more)


def trends_left_out(picture: RegionPicture, lang: str) -> str:
    """Return the line naming the key indicators the brief draws no trend of ('' for none)."""
    drawn = {r.indicator_id for r in print_trend_rows(picture.key_rows)}
    if not drawn or len(drawn) == len(picture.key_rows):
        return ""
    return t("brief.trends_left_out", lang, years=MIN_TREND_YEARS, shown=len(drawn),
             total=len(picture.key_rows))


def assessment_note(view: AssessmentView, lang: str) -> str:
    """Return the line of a region without (a valid) own text: what is missing, where to add it."""
    if not view.invalid:
        return t("brief.assessment_none", lang, year=view.year, path=view.path,
                 template=view.template)
    reason = view.missing if view.missing.endswith((".", "!", "?")) else f"{view.missing}."
    return f"{reason} " + t("brief.assessment_add", lang, path=view.path, template=view.template)
