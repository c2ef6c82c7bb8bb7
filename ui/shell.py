"""Streamlit glue of the app shell: URL state in and out, the sidebar pickers, friendly messages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from presentation.i18n import LANGUAGES, t
from ui import data, state
from ui.navigation import load_pages

LOG = logging.getLogger(__name__)
WarehouseMissing = data.WarehouseMissing

K_LANG = "w_kieli"
K_AREA = "w_alue"
K_YEAR = "w_vuosi"
K_ISSUES = "_url_issues"
K_CONTEXT = "_context"
K_SEEDED = "_seeded_from_url"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
# (parameter, reason) -> message key. The message names the rejected value and the default used.
ISSUE_KEYS = {
    (state.P_LANG, "unknown"): "issue.unknown_lang",
    (state.P_AREA, "unknown"): "issue.unknown_area",
    (state.P_YEAR, "unknown"): "issue.unknown_year",
    (state.P_YEAR, "invalid"): "issue.invalid_year",
    (state.P_INDICATOR, "unknown"): "issue.unknown_indicator",
    (state.P_MEASURE, "unknown"): "issue.unknown_measure",
    (state.P_AREAS, "unknown"): "issue.unknown_areas",
    (state.P_AREAS, "too_many"): "issue.too_many_areas",
    (state.P_DIM_WEIGHTS, "unknown"): "issue.unknown_weight",
    (state.P_DIM_WEIGHTS, "invalid"): "issue.invalid_weight",
    (state.P_IND_WEIGHTS, "unknown"): "issue.unknown_weight",
    (state.P_IND_WEIGHTS, "invalid"): "issue.invalid_weight",
    (state.P_NORM, "unknown"): "issue.unknown_choice",
    (state.P_AGG, "unknown"): "issue.unknown_choice",
}
REASON_KEYS = {"too_long": "issue.too_long", "more": "issue.more", "off_grid": "issue.off_grid"}


@dataclass
class Context:
    """What every page needs: language, region, year and the reference tables."""

    lang: str
    area: str
    year: int | None
    areas: pd.DataFrame
    names: dict[str, str]
    regions: list[str]
    years: list[int]
    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    dim_labels: dict[str, str] = field(default_factory=dict)
    ind_labels: dict[str, str] = field(default_factory=dict)

    def tr(self, key: str, **fmt: object) -> str:
        """Return the UI string key in the chosen language."""
        return t(key, self.lang, **fmt)

    @property
    def area_name(self) -> str:
        """Return the chosen region's name in the chosen language."""
        return self.names.get(self.area, self.area)


def language() -> str:
    """Return the chosen language: the sidebar switch, else the URL's kieli, else Finnish."""
    if K_LANG not in st.session_state:
        lang, issue = state.parse_lang(st.query_params.get(state.P_LANG))
        st.session_state[K_LANG] = lang
        if K_SEEDED not in st.session_state:
            st.session_state[K_ISSUES] = [issue] if issue else []
    lang = st.session_state[K_LANG]
    return lang if lang in LANGUAGES else state.DEFAULT_LANG


def pages(lang: str) -> list:
    """Return the st.Page objects of ui/pages.toml with titles in lang."""
    return [st.Page(p["file"], title=p["title"][lang], icon=p["icon"], url_path=p["id"],
                    default=bool(p.get("default", False))) for p in load_pages()]


def page(page_id: str) -> str:
    """Return the script of the page with this id in ui/pages.toml (for st.page_link)."""
    return next(p["file"] for p in load_pages() if p["id"] == page_id)


def issue_text(issue: state.Issue, lang: str, default: str) -> str:
    """Return the friendly message for a rejected URL value."""
    key = ISSUE_KEYS.get((issue.param, issue.reason),
                         REASON_KEYS.get(issue.reason, "issue.generic"))
    return t(key, lang, param=issue.param, value=issue.value, default=default)


def show_issues(issues: Sequence[state.Issue], lang: str,
                default_of: Callable[[state.Issue], str]) -> None:
    """Show each rejected URL value as a friendly message (never the raw value as markup)."""
    for issue in issues:
        st.info(issue_text(issue, lang, default_of(issue)), icon=":material/link_off:")


def warehouse_message(lang: str) -> None:
    """Show the one message for a missing or unusable warehouse: what to run, no path, no trace."""
    st.error(t("error.no_warehouse", lang), icon=":material/database:")
    st.code("make build", language=None)


def _warehouse_or_stop(lang: str) -> None:
    """Stop the run with the how-to message when the warehouse is missing or unusable."""
    try:
        data.check()
    except data.WarehouseMissing as exc:
        LOG.warning("warehouse unusable: %s", exc)
        warehouse_message(lang)
        st.stop()


def _init_from_url(regions: list[str], years: list[int]) -> None:
    """On a session's first run, seed the sidebar pickers from the URL (issues kept for display)."""
    if K_AREA in st.session_state:
        return
    view = state.resolve_view(st.query_params.to_dict(), regions, years)
    st.session_state[K_AREA] = view.area
    st.session_state[K_YEAR] = view.year
    if K_SEEDED not in st.session_state:
        st.session_state[K_SEEDED] = True
        st.session_state[K_ISSUES] = list(st.session_state.get(K_ISSUES, [])) + [
            i for i in view.issues if i.param != state.P_LANG]


def _clear_issues() -> None:
    """Forget the URL messages once the user changes a picker."""
    st.session_state[K_ISSUES] = []


def sidebar(lang: str) -> Context:
    """Render the sidebar (language, region, year), sync the URL and return the page context."""
    _warehouse_or_stop(lang)
    look = data.lookups(lang)
    regions = look["regions"]
    years = look["years"]
    _init_from_url(regions, years)
    if st.session_state.get(K_AREA) not in regions:
        st.session_state[K_AREA] = state.DEFAULT_REGION if state.DEFAULT_REGION in regions \
            else (regions[0] if regions else None)
    if years and st.session_state.get(K_YEAR) not in years:
        st.session_state[K_YEAR] = max(years)
    names = look["names"]
    with st.sidebar:
        st.segmented_control(t("sidebar.language", lang), options=list(LANGUAGES),
                             format_func=LANGUAGE_NAMES.get, key=K_LANG, required=True,
                             on_change=_clear_issues, persist_state="session")
        st.selectbox(t("sidebar.region", lang), options=regions, format_func=names.get,
                     key=K_AREA, on_change=_clear_issues, persist_state="session")
        if years:
            st.selectbox(t("sidebar.year", lang), options=sorted(years, reverse=True),
                         key=K_YEAR, on_change=_clear_issues, help=t("sidebar.year_help", lang),
                         persist_state="session")
        st.caption(t("sidebar.about", lang))
    ctx = Context(lang=lang, area=st.session_state[K_AREA],
                  year=st.session_state.get(K_YEAR) if years else None, areas=look["areas"],
                  names=names, regions=regions, years=list(years),
                  dimensions=look["dimensions"], indicators=look["indicators"],
                  dim_labels=look["dim_labels"], ind_labels=look["ind_labels"])
    wanted = shell_params(ctx)
    if any(st.query_params.get(k) != v for k, v in wanted.items()):
        st.query_params.update(wanted)
    st.session_state[K_CONTEXT] = ctx
    issues = st.session_state.get(K_ISSUES, [])
    if issues:
        show_issues(issues, lang, lambda i: _shell_default(i, ctx))
    return ctx


def _shell_default(issue: state.Issue, ctx: Context) -> str:
    """Return the value shown instead of a rejected shell parameter."""
    if issue.param == state.P_LANG:
        return LANGUAGE_NAMES[ctx.lang]
    if issue.param == state.P_AREA:
        return ctx.area_name
    return str(ctx.year) if ctx.year is not None else "–"


def shell_params(ctx: Context) -> dict[str, str]:
    """Return the shell's query parameters (language, region, year)."""
    return state.shell_params(state.ViewState(ctx.lang, ctx.area, ctx.year))


def context() -> Context:
    """Return the context the shell prepared for this run (pages call this first)."""
    return st.session_state[K_CONTEXT]


def page_param(key: str, param: str, parse: Callable[[object], tuple[object, list]]
               ) -> list[state.Issue]:
    """Seed a page widget from the URL on its first render; return the URL issues found."""
    if key in st.session_state:
        return []
    value, issues = parse(st.query_params.get(param))
    st.session_state[key] = value
    return [i for i in (issues if isinstance(issues, list) else [issues]) if i is not None]


def set_page_params(ctx: Context, params: dict[str, str]) -> None:
    """Write the URL for this view: the shell parameters plus the page's own (others removed)."""
    wanted = {**shell_params(ctx), **{k: v for k, v in params.items() if v not in (None, "")}}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
