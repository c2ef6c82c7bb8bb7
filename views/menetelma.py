"""Menetelmä ja lähteet: the method in plain words, indicators and sources, coverage, data runs."""

import streamlit as st

from ui import charts, data, downloads, render, shell

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
LEVELS = {"region": "level.region", "subregion": "level.subregion",
          "municipality": "level.municipality"}
shell.set_page_params(ctx, {})
picture = data.method_picture(ctx.area, ctx.year, lang)

st.title(render.md(picture.title))
render.caption(picture.freshness)
tab_method, tab_ind, tab_cov, tab_runs = st.tabs([
    tr("method.tab_method"), tr("method.tab_indicators"), tr("method.tab_coverage"),
    tr("method.tab_runs")])

with tab_method:
    render.paragraph(picture.intro)
    render.bullets(picture.rules)
    st.subheader(render.md(picture.example_title))
    if picture.example_text:
        render.paragraph(picture.example_text)
        fig = charts.indicator_bars(picture.example_bars, tr("common.score_0_100"),
                                    tr("common.no_data"), lang=lang)
        st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.example_caption)
        render.caption(picture.example_caption)
    else:
        st.info(tr("method.no_example"), icon=":material/info:")
    doc = data.methodology(lang)
    with st.expander(render.md(tr("method.doc_title"))):
        if doc is None:
            st.info(tr("method.doc_missing"), icon=":material/info:")
        else:
            st.caption(tr("method.doc_language"))
            st.markdown(doc[0])
            if doc[1]:
                st.markdown(doc[1])

with tab_ind:
    for label, entries in picture.glossary:
        with st.expander(render.md(label)):
            for entry in entries:
                render.indicator_entry(entry, tr("col.licence"))
    st.subheader(render.md(tr("method.sources_title")))
    for entry in picture.sources:
        render.source_entry(entry, tr("method.gives"))
    render.caption(tr("method.sources_note"))
    with st.expander(render.md(picture.provenance_title)):
        st.dataframe(picture.provenance, hide_index=True, width="stretch")
    downloads.table_buttons(lang)

with tab_cov:
    level = st.radio(tr("explorer.level"), list(LEVELS), format_func=lambda lv: tr(LEVELS[lv]),
                     horizontal=True, key="w_cov_level")
    coverage = data.coverage_picture(level, lang)
    render.caption(coverage.note)
    if not coverage.matrices:
        st.info(tr("common.no_data"), icon=":material/info:")
    for title, matrix, text, alt in coverage.matrices:
        render.strong(title)
        fig = charts.heatmap(matrix, text, tr("method.coverage_bar"), tr("common.no_data"),
                             zrange=(0, max(coverage.n_areas, 1)), wrap_rows=26, lang=lang)
        st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    render.caption(tr("common.missing_mark_note"))

with tab_runs:
    render.paragraph(picture.runs_text)
    runs = data.etl_runs(50)
    if runs.empty:
        st.info(tr("method.no_runs"), icon=":material/info:")
    else:
        st.dataframe(data.runs_table(runs, lang), hide_index=True, width="stretch")
