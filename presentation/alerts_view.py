"""The structural-change alerts' view-model: a region's and its sub-regions' alert episodes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators import alerts as engine
from indicators import fast
from presentation import format as fmt
from presentation.alke_frames import AlkeFrames
from presentation.exports import Download
from presentation.fast import month_name
from presentation.i18n import t
from presentation.names import area_names

RECENT_MONTHS = 24  # the "recent" window, ending at the newest month of the monthly figures
MAX_EARLIER = 6  # earlier episodes listed (the newest)
GOOD_WHEN_UP = {"open_vacancies": True, "unemployed": False}  # industries: up is good
GAP_SERIES = "unemployed"
# The download: its columns (alerts.col_* headings), its numbers' shown decimals (as the
# alerts' sentences show them) and the levels named in the language.
DOWNLOAD_COLUMNS = {"area": "alerts.col_area", "level": "alerts.col_level",
                    "what": "alerts.col_what", "first": "alerts.col_first",
                    "last": "alerts.col_last", "peak": "alerts.col_peak",
                    "direction": "alerts.col_direction", "value": "alerts.col_value",
                    "country": "alerts.col_country", "gap": "alerts.col_gap",
                    "threshold": "alerts.col_threshold", "rule": "alerts.col_rule",
                    "source": "alerts.col_source"}
DOWNLOAD_DECIMALS = {"value": 1, "country": 1, "gap": 1, "threshold": 0}
DOWNLOAD_LEVELS = {"region": "area_level.region", "subregion": "area_level.subregion"}
INDUSTRY_SOURCE = "industry:"  # the key of the industry figures' source among the series'


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
    download: Download | None = None


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


def _item(episode: pd.Series, peak: pd.Series, rules: dict[str, engine.Rule], what: str,
          names, lang: str) -> AlertItem:
    """Return one episode's sentences (what: the series' label)."""
    rule = rules.get(str(episode["rule_id"]))
    params = dict(rule.params) if rule else {}
    monthly = len(str(episode["first"])) == 7
    direction = t("alerts.up" if episode["direction"] == "up" else "alerts.down", lang)
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


def _sources(frames: AlkeFrames) -> dict[str, tuple[str | None, str]]:
    """Return each monthly series' (source id, table id), and the industry figures' source id."""
    pairs = frames.monthly[["series_id", "source_id"]].drop_duplicates("series_id")
    ids = dict(zip(pairs["series_id"].astype(str), pairs["source_id"].astype(str), strict=True))
    out = {str(s): (ids.get(str(s)), str(table)) for s, table
           in zip(frames.monthly_series["id"], frames.monthly_series["table_id"], strict=True)}
    industry = frames.industry_employment["source_id"]
    out[INDUSTRY_SOURCE] = (str(industry.iloc[0]) if len(industry) else None, "")
    return out


def _row(episode: pd.Series, peak: pd.Series, rules: dict[str, engine.Rule], what: str,
         names, sources: dict[str, tuple[str | None, str]], lang: str) -> dict[str, object]:
    """Return one episode's download row: as shown (DOWNLOAD_COLUMNS) and its ids."""
    rule = rules.get(str(episode["rule_id"]))
    threshold = rule.params.get("threshold_pct") if rule else None
    series, level = str(episode["series"]), str(episode["level"])
    if series.startswith("industry:"):
        source_id = sources[INDUSTRY_SOURCE][0]
        source = t("alerts.source_industry", lang)
    else:
        source_id, table = sources.get(series, (None, fmt.MISSING))
        source = t("alerts.source_monthly", lang, table=table)
    up = episode["direction"] == "up"
    return {
        "area": names.name(str(episode["area_code"])),
        "level": t(DOWNLOAD_LEVELS[level], lang) if level in DOWNLOAD_LEVELS else level,
        "what": what, "first": str(episode["first"]),
        "last": str(episode["last"]), "peak": str(episode["peak_period"]),
        "direction": t("alerts.dir_up" if up else "alerts.dir_down", lang),
        "value": float(peak["value"]), "country": float(peak["country_value"]),
        "gap": float(peak["gap"]),
        "threshold": float(peak["threshold"] if threshold is None else threshold),
        "rule": str(episode["rule_id"]), "source": source,
        # for machines: ids and full precision
        "area_code": str(episode["area_code"]), "level_id": level, "series": series,
        "direction_id": str(episode["direction"]), "n_periods": int(episode["n_periods"]),
        "method": peak.get("method"), "source_id": source_id}


def _download(rows: list[dict[str, object]], area_code: str, lang: str) -> Download | None:
    """Return the episodes as shown (in lang, numbers rounded as shown) and for machines."""
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    header = {key: t(name, lang) for key, name in DOWNLOAD_COLUMNS.items()}
    shown = frame[list(DOWNLOAD_COLUMNS)].copy()
    for key, places in DOWNLOAD_DECIMALS.items():
        shown[key] = shown[key].astype(float).round(places)
    machine = frame[["area_code", "level_id", "rule", "series", "direction_id", "first", "last",
                     "n_periods", "peak", "value", "country", "gap", "threshold", "method",
                     "source_id"]].rename(columns={
        "level_id": "level", "rule": "rule_id", "direction_id": "direction",
        "peak": "peak_period", "value": "peak_value", "country": "peak_country_value",
        "gap": "peak_gap"})
    return Download(name=f"tilannekuva_halytykset_{area_code}", lang=lang,
                    shown=shown.rename(columns=header), machine=machine,
                    decimals={header[k]: v for k, v in DOWNLOAD_DECIMALS.items()})


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
    listed = []  # (item, download row) per episode
    sources = _sources(frames) if len(found) else {}
    keys = ["area_code", "rule_id", "series", "period"]
    peaks = rows.set_index(keys) if len(rows) else None
    for _, episode in found.iterrows():
        peak = peaks.loc[(episode["area_code"], episode["rule_id"], episode["series"],
                          episode["peak_period"])]
        if isinstance(peak, pd.DataFrame):
            peak = peak.iloc[0]
        peak = peak.copy()
        peak["period"] = episode["peak_period"]
        what = _what(str(episode["series"]), frames, lang)
        listed.append((_item(episode, peak, rules_by_id, what, names, lang),
                       _row(episode, peak, rules_by_id, what, names, sources, lang)))
    order = {code: i for i, code in enumerate(codes)}
    listed.sort(key=lambda pair: (_sort_key(pair[0].last), -order.get(pair[0].area_code, 99)),
                reverse=True)
    items = [item for item, _ in listed]
    newest = frames.monthly["month"].max() if len(frames.monthly) else None
    cutoff = fast.shift_month(newest, 1 - RECENT_MONTHS) if newest else "9999-12"
    recent = tuple(i for i in items if _is_recent(i.last, cutoff))
    earlier = [i for i in items if not _is_recent(i.last, cutoff)]
    if newest:
        window = dict(months=RECENT_MONTHS, first=month_name(cutoff, lang),
                      last=month_name(newest, lang))
        recent_title, recent_none = (t("alerts.recent_title", lang, **window),
                                     t("alerts.recent_none", lang, **window))
    else:  # no monthly figures at all: no recent window to speak of
        recent_title, recent_none = (t("alerts.recent_title_no_months", lang),
                                     t("alerts.recent_no_months", lang))
    notes = [n for n in (_gap_note(frames, area_code, lang),) if n]
    if not items:
        notes.insert(0, t("alerts.none_ever", lang))
    return AlertsView(
        area_code=area_code, lang=lang, title=t("alerts.title", lang),
        intro=t("alerts.intro", lang), recent_title=recent_title,
        recent=recent, recent_empty="" if recent else recent_none,
        earlier_title=t("alerts.earlier_title", lang, shown=min(len(earlier), MAX_EARLIER),
                        total=len(earlier)),
        earlier=tuple(earlier[:MAX_EARLIER]), notes=tuple(notes), method=t("alerts.method", lang),
        download=_download([row for _, row in listed], area_code, lang))


def _sort_key(period: str) -> str:
    """Return a sortable key of a month or a year (a year sorts as its December)."""
    return period if len(period) == 7 else f"{period}-12"
