"""Indikaattorit: explore one indicator for up to five areas over time and across areas."""

import streamlit as st

from presentation import explorer
from ui import charts, data, downloads, render, shell, state

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
K_IND, K_AREAS, K_LEVEL, K_DYEAR = "w_mittari", "w_alueet", "w_taso", "w_jvuosi"

st.title(render.md(tr("explorer.title")))
indicators = data.explorer_indicators(lang)
ids = list(indicators)
if not ids:
    st.info(tr("common.no_data"), icon=":material/info:")
    st.stop()
default_ind = "unemployment_rate" if "unemployment_rate" in ids else ids[0]
issues = shell.page_param(K_IND, state.P_INDICATOR,
                          lambda raw: state.parse_choice(raw, ids, default_ind,
                                                         state.P_INDICATOR))
if st.session_state.get(K_IND) not in indicators:
    st.session_state[K_IND] = default_ind
indicator = st.selectbox(tr("explorer.indicator"), ids, format_func=indicators.get, key=K_IND)
obs = data.observations(indicator_ids=[indicator])
areas = explorer.area_options(obs, ctx.areas, lang)
default_areas = explorer.default_areas(areas, ctx.area)
issues += shell.page_param(K_AREAS, state.P_AREAS,
                           lambda raw: state.parse_codes(raw, list(areas), default_areas))
st.session_state[K_AREAS] = [c for c in st.session_state.get(K_AREAS) or []
                             if c in areas] or default_areas
chosen = st.multiselect(tr("explorer.areas"), list(areas), format_func=areas.get, key=K_AREAS,
                        max_selections=state.MAX_AREAS, help=tr("explorer.areas_help"))
shell.show_issues(issues, lang, lambda i: (indicators[indicator] if i.param ==
                                           state.P_INDICATOR else ", ".join(
                                               areas[c] for c in default_areas)))
levels = explorer.level_options(obs, ctx.areas, lang)
issues = shell.page_param(K_LEVEL, state.P_LEVEL,
                          lambda raw: state.parse_choice(raw, list(levels),
                                                         next(iter(levels), None),
                                                         state.P_LEVEL))
if st.session_state.get(K_LEVEL) not in levels:
    st.session_state[K_LEVEL] = next(iter(levels), None)
years = explorer.level_years(obs, ctx.areas, st.session_state[K_LEVEL])
default_year = max([y for y in years if ctx.year is None or y <= ctx.year] or years or [None])
issues += shell.page_param(K_DYEAR, state.P_DIST_YEAR,
                           lambda raw: state.parse_year(raw, years, default_year,
                                                        state.P_DIST_YEAR))
if st.session_state.get(K_DYEAR) not in years:
    st.session_state[K_DYEAR] = default_year
level, dist_year = st.session_state[K_LEVEL], st.session_state[K_DYEAR]
picture = data.explorer_picture(indicator, tuple(chosen), level, dist_year, lang, ctx.year,
                                ctx.area)

# --- Description and source ------------------------------------------------------------------
with st.container(border=True):
    render.paragraph(picture.intro)
    render.caption(picture.source_line)
    render.paragraph(picture.score_line)

# --- Time series ----------------------------------------------------------------------------
st.subheader(render.md(tr("explorer.series_title")))
if picture.has_series:
    fig = charts.time_series(picture.series, picture.unit, picture.colours,
                             reference=picture.reference_code,
                             breaks=picture.breaks, break_label=tr("explorer.break_label"),
                             lang=lang)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.series_caption)
    render.caption(picture.series_caption)
    for note in picture.break_notes:
        render.caption(note)
else:
    st.info(tr("explorer.no_series"), icon=":material/info:")

# --- Distribution across areas for a year -----------------------------------------------------
st.subheader(render.md(tr("explorer.distribution_title")))
left, right = st.columns([1, 2])
with left:
    st.radio(tr("explorer.level"), list(levels), format_func=levels.get, key=K_LEVEL,
             horizontal=True)
with right:
    if len(years) > 1:
        st.select_slider(tr("explorer.year"), options=years, key=K_DYEAR)
shell.show_issues(issues, lang, lambda i: str(default_year))
shell.set_page_params(ctx, {state.P_INDICATOR: indicator, state.P_AREAS: ",".join(chosen),
                            state.P_LEVEL: st.session_state[K_LEVEL] or "",
                            state.P_DIST_YEAR: str(st.session_state[K_DYEAR] or "")})
if picture.dist_year is not None:
    fig = charts.distribution(picture.distribution, picture.unit, tr("explorer.count_title"),
                              highlight=picture.dist_highlight,
                              reference=picture.dist_reference,
                              reference_label=picture.reference_name, lang=lang)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.dist_caption)
    render.caption(picture.dist_caption)

# --- Table ----------------------------------------------------------------------------------
st.subheader(render.md(tr("explorer.table_title")))
st.dataframe(picture.table, width="stretch")
downloads.data_buttons(picture.download, key="explorer")
render.caption(picture.table_note)
with st.expander(render.md(picture.sources_title)):
    st.dataframe(picture.sources, hide_index=True, width="stretch")
