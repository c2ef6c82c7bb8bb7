"""Menetelmä ja lähteet: methodology, indicator metadata and sources, coverage, ETL run log."""

import pandas as pd
import streamlit as st

from ui import charts, data, downloads, shell, tables
from ui import format as fmt
from ui.navigation import load_links

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
dim_ids = list(ctx.dimensions["id"])
colours = dict(zip(ctx.dimensions["id"], ctx.dimensions["color"], strict=True))
links = load_links()
LEVELS = {"region": "level.region", "subregion": "level.subregion",
          "municipality": "level.municipality"}
shell.set_page_params(ctx, {})

st.title(tr("method.title"))
fresh = data.freshness()
st.caption(fmt.freshness_caption(fresh, lang, tr, "method.freshness"))

# --- Worked example: how the chosen region's score is made up ---------------------------------
st.subheader(tr("method.example_title", region=ctx.area_name, year=fmt.year(ctx.year)))
overall = data.scores(period=ctx.year, area_code=ctx.area) if ctx.year else pd.DataFrame()
row = overall[overall["dimension"] == "overall"] if not overall.empty else overall
if row.empty or fmt.is_missing(row["score"].iloc[0]):
    st.info(tr("region.no_scores", region=ctx.area_name, year=fmt.year(ctx.year)),
            icon=":material/info:")
else:
    r = row.iloc[0]
    st.markdown(tr("method.example_text", region=ctx.area_name,
                   score=fmt.number(r["score"], 1, lang),
                   rank=fmt.rank(r["rank"], len(ctx.regions), lang),
                   interval=fmt.rank_interval(r["rank_low"], r["rank_high"]),
                   n=fmt.year(r["n_indicators"])))
    ind = data.indicator_scores(period=ctx.year, area_code=ctx.area)
    bars = ctx.indicators[["id", "dimension"]].merge(ind[["indicator_id", "score"]], how="left",
                                                     left_on="id", right_on="indicator_id")
    frame = pd.DataFrame({"group": bars["dimension"].map(ctx.dim_labels),
                          "name": bars["id"].map(ctx.ind_labels), "score": bars["score"],
                          "colour": bars["dimension"].map(colours)})
    fig = charts.indicator_bars(frame, tr("common.score_0_100"), tr("common.no_data"),
                                lang=lang)
    alt = tr("method.example_alt", region=ctx.area_name, year=ctx.year)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    st.caption(alt)

tab_method, tab_ind, tab_cov, tab_runs = st.tabs([
    tr("method.tab_method"), tr("method.tab_indicators"), tr("method.tab_coverage"),
    tr("method.tab_runs")])

with tab_method:
    doc = data.methodology(lang)
    if doc is not None:
        body, appendix = doc
        st.caption(tr("method.doc_language"))
        st.markdown(body)
        if appendix:
            with st.expander(tr("method.examples_title")):
                st.markdown(appendix)
    else:
        st.info(tr("method.doc_missing"), icon=":material/info:")

with tab_ind:
    inds = ctx.indicators
    meta = pd.DataFrame({
        tr("col.dimension"): inds["dimension"].map(ctx.dim_labels),
        tr("col.indicator"): inds[f"label_{lang}"],
        tr("col.unit"): inds[f"unit_{lang}"],
        tr("col.direction"): [tr("explorer.higher_better") if d == "higher_better"
                              else tr("explorer.lower_better") for d in inds["direction"]],
        tr("col.description"): inds[f"description_{lang}"],
        tr("col.publisher"): inds["source_publisher"],
        tr("col.table"): inds["source_table"],
        tr("col.selection"): inds["source_selection"],
        tr("col.licence"): inds["source_licence"],
        tr("col.link"): [tables.link_for(p, links["publisher"]) for p in
                         inds["source_publisher"]],
    })
    st.dataframe(meta, hide_index=True, width="stretch", column_config={
        tr("col.link"): st.column_config.LinkColumn(tr("col.link"))})
    st.subheader(tr("method.sources_title"))
    src = data.sources()
    src_view = pd.DataFrame({
        tr("col.publisher"): src["publisher"], tr("col.title"): src["title"],
        tr("col.table"): src["table_id"], tr("col.licence"): src["licence"],
        tr("col.licence_link"): [tables.link_for(x, links["licence"]) for x in src["licence"]],
        tr("col.origin"): src["origin"], tr("col.derivation"): src["derivation"],
        tr("col.updated"): [fmt.date(x, lang) for x in src["updated"]],
        tr("col.fetched"): [fmt.date(x, lang) for x in src["fetched_at"]],
    })
    st.dataframe(src_view, hide_index=True, width="stretch", column_config={
        tr("col.licence_link"): st.column_config.LinkColumn(tr("col.licence_link"))})
    st.caption(tr("method.sources_note"))
    downloads.table_buttons(lang)

with tab_cov:
    cov = data.coverage()
    level = st.radio(tr("explorer.level"), list(LEVELS), format_func=lambda lv: tr(LEVELS[lv]),
                     horizontal=True, key="w_cov_level")
    n_areas = int((ctx.areas["level"] == level).sum())
    st.caption(tr("method.coverage_note", n=n_areas, level=tr(LEVELS[level])))
    if cov.empty:
        st.info(tr("common.no_data"), icon=":material/info:")
    for d in dim_ids:
        matrix = tables.coverage_matrix(cov, list(ctx.indicators["id"]), d, level)
        if matrix.empty:
            continue
        st.markdown(f"**{ctx.dim_labels[d]}**")
        text = matrix.map(lambda v: fmt.MISSING if fmt.is_missing(v) else str(int(v)))
        matrix.index = text.index = [ctx.ind_labels[i] for i in matrix.index]
        matrix.columns = text.columns = [str(c) for c in matrix.columns]
        fig = charts.heatmap(matrix, text, tr("method.coverage_bar"), tr("common.no_data"),
                             height=60 + 30 * len(matrix), zrange=(0, max(n_areas, 1)),
                             lang=lang)
        st.plotly_chart(fig, config=charts.plot_config(lang),
                        alt=tr("method.coverage_alt", dimension=ctx.dim_labels[d]))
    st.caption(tr("common.missing_mark_note"))

with tab_runs:
    runs = data.etl_runs(50)
    st.markdown(tr("method.runs_text", built=fmt.date(fresh.get("built_at"), lang),
                   origin=data.meta().get("built_from", fmt.MISSING)))
    if runs.empty:
        st.info(tr("method.no_runs"), icon=":material/info:")
    else:
        st.dataframe(runs.rename(columns={
            "run_id": tr("col.run"), "source_id": tr("col.source"),
            "started_at": tr("col.started"), "finished_at": tr("col.finished"),
            "status": tr("col.status"), "rows": tr("col.rows"), "message": tr("col.message")}),
            hide_index=True, width="stretch")
