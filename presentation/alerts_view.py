"""The structural-change alerts' view-model: a region's and its sub-regions' alert episodes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import alerts as engine
from indicators import fast
from presentation import format as fmt
from presentation.alke_frames import AlkeFrames
from presentation.fast import month_name
from presentation.i18n import t
from presentation.names import area_names

RECENT_MONTHS = 24  # the "recent" window, ending at the newest month of the monthly figures
MAX_EARLIER = 6  # earlier episodes listed (the newest)
GOOD_WHEN_UP = {"open_vacancies": True, "unemployed": False}  # industries: up is good
GAP_SERIES = "unemployed"


@dataclass(frozen=True)
class AlertItem:
    """One alert episode: when, what moved and how much, and why it counts (the rule)."""

    area_code: str
    span: str
    text: str
    rule: str
    tone: str  # 'good' or 'bad'
    last: str


@dataclass(frozen=True)
class AlertsView:
    """The alerts of a region and its sub-regions, newest first, with plain notes."""

    area_code: str
    lang: str
    title: str
    intro: str
    recent_title: str
    recent: tuple[AlertItem, ...]
    recent_empty: str
    earlier_title: str
    earlier: tuple[AlertItem, ...]
    notes: tuple[str, ...]
    method: str


def _period_text(period: str, lang: str) -> str:
    """Return a month said plainly, or a year as it is."""
    return month_name(period, lang) if len(str(period)) == 7 else str(period)


def _what(series: str, frames: AlkeFrames, lang: str) -> str:
    """Return the series' label in lang (an industry section by its TOL 2008 name)."""
    if series.startswith("industry:"):
        code = series.split(":", 1)[1]
        hit = frames.industries.loc[frames.industries["code"] == code, f"label_{lang}"]
        label = str(hit.iloc[0]) if len(hit) else code
    else:
        hit = frames.monthly_series.loc[frames.monthly_series["id"] == series, f"label_{lang}"]
        label = str(hit.iloc[0]) if len(hit) else series
    return label if lang == "en" else label[0].lower() + label[1:]


def _item(episode: pd.Series, peak: pd.Series, rules: dict[str, engine.Rule],
          frames: AlkeFrames, names, lang: str) -> AlertItem:
    """Return one episode's sentences."""
    rule = rules.get(str(episode["rule_id"]))
    params = dict(rule.params) if rule else {}
    monthly = len(str(episode["first"])) == 7
    direction = t("alerts.up" if episode["direction"] == "up" else "alerts.down", lang)
    what = _what(str(episode["series"]), frames, lang)
    first, last = (_period_text(episode[k], lang) for k in ("first", "last"))
    area = names.name(str(episode["area_code"]))
    numbers = dict(value=fmt.signed(peak["value"], 1, lang),
                   country=fmt.signed(peak["country_value"], 1, lang),
                   since=_period_text(peak["since"], lang),
                   peak=_period_text(peak["period"], lang))
    span = first if first == last else t("alerts.span_monthly", lang, first=first, last=last,
                                         n=int(episode["n_periods"]))
    if not monthly and first != last:
        span = f"{first} – {last}"
    if monthly:
        text = t("alerts.moved_monthly", lang, area=area, what=what, direction=direction,
                 window=params.get("window_months", fmt.MISSING),
                 gap=fmt.number(abs(float(peak["gap"])), 1, lang), **numbers)
        why = t("alerts.rule_monthly", lang,
                threshold=fmt.number(params.get("threshold_pct"), 0, lang),
                factor=fmt.number(params.get("history_factor"), 0, lang),
                history=params.get("history_months", fmt.MISSING),
                usual=fmt.number(peak["baseline"], 1, lang),
                min_change=fmt.number(params.get("min_change"), 0, lang),
                persist=params.get("persist_months", fmt.MISSING))
        good_up = GOOD_WHEN_UP.get(str(episode["series"]), True)
    else:
        text = t("alerts.moved_annual", lang, area=area, what=what, **numbers)
        why = t("alerts.rule_annual", lang,
                threshold=fmt.number(params.get("threshold_pct"), 0, lang),
                min_persons=fmt.number(params.get("min_persons"), 0, lang),
                before=fmt.number(peak["baseline"], 0, lang))
        good_up = True
    good = (episode["direction"] == "up") == good_up
    return AlertItem(str(episode["area_code"]), span, text, why, "good" if good else "bad",
                     str(episode["last"]))


def _is_recent(period: str, cutoff: str) -> bool:
    """Return True when a month (or a year) is at or after the cutoff month."""
    period = str(period)
    return period >= cutoff if len(period) == 7 else int(period) >= int(cutoff[:4])


def _gap_note(frames: AlkeFrames, area_code: str, lang: str) -> str | None:
    """Return the note on months the rules could not look at, None when there is no gap."""
    monthly = frames.monthly
    have = monthly.loc[(monthly["series_id"] == GAP_SERIES) & (monthly["area_code"] == area_code)
                       & monthly["value"].notna(), "month"].tolist()
    runs = fast.gap_runs(have)
    if not runs:
        return None
    first, last, _ = runs[-1]
    years = frames.industry_employment["period"]
    industry_year = fmt.year(years.max()) if len(years) else fmt.MISSING
    return t("alerts.gap_note", lang, first=month_name(first, lang),
             last=month_name(last, lang), industry_year=industry_year)


def build_alerts_view(frames: AlkeFrames, area_code: str, lang: str,
                      rules: tuple[engine.Rule, ...] | None = None) -> AlertsView:
    """Return the region's and its sub-regions' alert episodes in lang, newest first."""
    names = area_names(frames.areas, lang)
    areas = frames.areas
    codes = [area_code, *areas.loc[(areas["level"] == "subregion")
                                   & (areas["parent_code"] == area_code), "code"]]
    rows = frames.alerts[frames.alerts["area_code"].isin(codes)]
    rules_by_id = {r.id: r for r in (engine.load_rules() if rules is None else rules)}
    found = engine.episodes(rows) if len(rows) else pd.DataFrame(columns=engine.EPISODE_COLUMNS)
    items = []
    keys = ["area_code", "rule_id", "series", "period"]
    peaks = rows.set_index(keys) if len(rows) else None
    for _, episode in found.iterrows():
        peak = peaks.loc[(episode["area_code"], episode["rule_id"], episode["series"],
                          episode["peak_period"])]
        if isinstance(peak, pd.DataFrame):
            peak = peak.iloc[0]
        peak = peak.copy()
        peak["period"] = episode["peak_period"]
        items.append(_item(episode, peak, rules_by_id, frames, names, lang))
    order = {code: i for i, code in enumerate(codes)}
    items.sort(key=lambda i: (_sort_key(i.last), -order.get(i.area_code, 99)), reverse=True)
    newest = frames.monthly["month"].max() if len(frames.monthly) else None
    cutoff = fast.shift_month(newest, 1 - RECENT_MONTHS) if newest else "9999-12"
    recent = tuple(i for i in items if _is_recent(i.last, cutoff))
    earlier = [i for i in items if not _is_recent(i.last, cutoff)]
    window = dict(months=RECENT_MONTHS, first=month_name(cutoff, lang),
                  last=month_name(newest, lang))
    notes = [n for n in (_gap_note(frames, area_code, lang),) if n]
    if not items:
        notes.insert(0, t("alerts.none_ever", lang))
    return AlertsView(
        area_code=area_code, lang=lang, title=t("alerts.title", lang),
        intro=t("alerts.intro", lang), recent_title=t("alerts.recent_title", lang, **window),
        recent=recent, recent_empty="" if recent else t("alerts.recent_none", lang, **window),
        earlier_title=t("alerts.earlier_title", lang, shown=min(len(earlier), MAX_EARLIER),
                        total=len(earlier)),
        earlier=tuple(earlier[:MAX_EARLIER]), notes=tuple(notes), method=t("alerts.method", lang))


def _sort_key(period: str) -> str:
    """Return a sortable key of a month or a year (a year sorts as its December)."""
    return period if len(period) == 7 else f"{period}-12"
