"""Vertailu: regions compared on a map, a ranking with rank intervals and a heatmap. Layout only."""

import streamlit as st

from ui import charts, data, downloads, render, shell, state

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
K_MEASURE = "w_mittaus"

st.title(render.md(tr("compare.title")))
if ctx.year is None:
    st.info(tr("common.no_data_year"), icon=":material/info:")
    st.stop()
options = dict(data.compare_measures(ctx.year, lang))
issues = shell.page_param(K_MEASURE, state.P_MEASURE,
                          lambda raw: state.parse_choice(raw, list(options), "overall",
                                                         state.P_MEASURE))
if st.session_state.get(K_MEASURE) not in options:
    st.session_state[K_MEASURE] = "overall"
shell.show_issues(issues, lang, lambda i: options["overall"])
measure = st.selectbox(tr("compare.measure"), list(options), format_func=options.get,
                       key=K_MEASURE)
shell.set_page_params(ctx, {state.P_MEASURE: measure})
picture = data.compare_picture(measure, ctx.year, lang, ctx.area)

render.caption(picture.subtitle)
render.strong(picture.ages_text)
render.notices(picture.notices)
render.paragraph(picture.own_text)

left, right = st.columns([1, 1])
with left:
    geo = data.map_paths(detail=True)
    if geo is None:
        st.info(tr("common.no_map"), icon=":material/map:")
    else:
        fig = charts.choropleth(picture.map_values, geo, picture.colorbar_title,
                                tr("common.no_data"), highlight=ctx.area,
                                zrange=picture.zrange, reverse=picture.reverse, lang=lang)
        st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.map_caption)
        render.caption(picture.map_caption)
    render.caption(picture.missing_text)
with right:
    st.subheader(render.md(picture.ranking_title))
    render.table(picture.ranking)
    render.caption(picture.ranking_note)
    downloads.data_buttons(picture.download, key="compare")

# --- Regions × dimensions heatmap -------------------------------------------------------------
st.subheader(render.md(picture.heatmap_title))
fig = charts.heatmap(picture.heatmap_values, picture.heatmap_text, tr("common.score_0_100"),
                     tr("common.no_data"), lang=lang)
st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.heatmap_caption)
render.caption(picture.heatmap_caption)

if picture.intervals is not None:
    st.subheader(render.md(picture.intervals_title))
    fig = charts.rank_intervals(picture.intervals, tr("col.rank"), highlight=picture.highlight,
                                lang=lang)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.intervals_caption)
    render.caption(picture.intervals_caption)
