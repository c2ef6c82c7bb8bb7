"""Vertailu: regions compared on a map, a ranking with rank intervals and a heatmap. Layout only."""

import pandas as pd
import streamlit as st

from ui import charts, data, downloads, shell, state, tables
from ui import format as fmt

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
dim_ids = list(ctx.dimensions["id"])
ind_ids = list(ctx.indicators["id"])
measures = ["overall", *dim_ids, *ind_ids]
K_MEASURE = "w_mittaus"

issues = shell.page_param(K_MEASURE, state.P_MEASURE,
                          lambda raw: state.parse_choice(raw, measures, "overall",
                                                         state.P_MEASURE))
st.title(tr("compare.title"))
shell.show_issues(issues, lang, lambda i: tr("common.overall"))
if ctx.year is None:
    st.info(tr("common.no_data_year"), icon=":material/info:")
    st.stop()
st.caption(tr("compare.subtitle", year=ctx.year, n=len(ctx.regions)))


def measure_label(m: str) -> str:
    """Return the label of a measure: the overall index, a dimension or an indicator."""
    if m == "overall":
        return tr("common.overall")
    if m in ctx.dim_labels:
        return tr("compare.dimension_option", name=ctx.dim_labels[m])
    return tr("compare.indicator_option", name=ctx.ind_labels.get(m, m))


measure = st.selectbox(tr("compare.measure"), measures, format_func=measure_label, key=K_MEASURE)
shell.set_page_params(ctx, {state.P_MEASURE: measure})
is_indicator = measure in ind_ids
scores = data.scores(period=ctx.year)

if is_indicator:
    ind = ctx.indicators.set_index("id").loc[measure]
    unit, decimals = ind[f"unit_{lang}"], int(ind["decimals"])
    ind_scores = data.indicator_scores(period=ctx.year, indicator_ids=[measure])
    ranked = tables.indicator_ranking(ind_scores, ctx.year, measure, ctx.names, ctx.regions)
    map_values = tables.map_frame(
        ranked, "value", [f"{fmt.with_unit(v, unit, decimals, lang)} ({fmt.year(p)})"
                          for v, p in zip(ranked["value"], ranked["value_period"], strict=True)])
    colorbar = unit
    reverse = ind["direction"] == "lower_better"
    zrange = None
else:
    ranked = tables.ranking(scores, ctx.year, measure, ctx.names, ctx.regions)
    map_values = tables.map_frame(
        ranked, "score", [f"{fmt.number(s, 1, lang)} · {fmt.rank(r, len(ctx.regions), lang)}"
                          for s, r in zip(ranked["score"], ranked["rank"], strict=True)])
    colorbar, reverse, zrange = tr("common.score_0_100"), False, (0, 100)

own = ranked[ranked["area_code"] == ctx.area]
if not own.empty:
    o = own.iloc[0]
    n = len(ctx.regions)
    if is_indicator:
        st.markdown(tr("compare.own_indicator", region=ctx.area_name,
                       value=fmt.with_unit(o["value"], unit, decimals, lang),
                       period=fmt.year(o["value_period"]), score=fmt.number(o["score"], 1, lang),
                       rank=fmt.rank(o["rank"], n, lang)))
    else:
        st.markdown(tr("compare.own_score", region=ctx.area_name, measure=measure_label(measure),
                       score=fmt.number(o["score"], 1, lang), rank=fmt.rank(o["rank"], n, lang),
                       interval=fmt.rank_interval(o["rank_low"], o["rank_high"])))

left, right = st.columns([1, 1])
with left:
    geo = data.map_paths(detail=True)
    if geo is None:
        st.info(tr("common.no_map"), icon=":material/map:")
    else:
        fig = charts.choropleth(map_values, geo, colorbar, tr("common.no_data"),
                                highlight=ctx.area, zrange=zrange, reverse=reverse, lang=lang)
        alt = tr("compare.map_alt", measure=measure_label(measure), year=ctx.year)
        st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
        st.caption(alt + (" " + tr("compare.map_reverse") if reverse else ""))
    missing = [n for n, v in zip(map_values["name"], map_values["value"], strict=True)
               if pd.isna(v)]
    if missing:
        st.caption(tr("common.missing_areas", areas=", ".join(missing)))
with right:
    st.subheader(tr("compare.ranking_title", measure=measure_label(measure)))
    n = len(ctx.regions)
    if is_indicator:
        table = pd.DataFrame({
            tr("col.rank"): [fmt.rank(r, n, lang) for r in ranked["rank"]],
            tr("col.region"): ranked["name"],
            tr("col.value"): [fmt.with_unit(v, unit, decimals, lang) for v in ranked["value"]],
            tr("col.year"): [fmt.year(p) for p in ranked["value_period"]],
            tr("col.score"): [fmt.number(s, 1, lang) for s in ranked["score"]],
        })
        note = tr("compare.indicator_rank_note")
    else:
        table = pd.DataFrame({
            tr("col.rank"): [fmt.rank(r, n, lang) for r in ranked["rank"]],
            tr("col.region"): ranked["name"],
            tr("col.score"): [fmt.number(s, 1, lang) for s in ranked["score"]],
            tr("col.interval"): [fmt.rank_interval(lo, hi) for lo, hi in
                                 zip(ranked["rank_low"], ranked["rank_high"], strict=True)],
            tr("col.change_1y"): [fmt.signed(c, 1, lang) for c in ranked["change_1y"]],
            tr("col.change_5y"): [fmt.signed(c, 1, lang) for c in ranked["change_5y"]],
        })
        note = tr("compare.rank_note")
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
    st.caption(note)
    downloads.data_buttons(ranked, lang, f"tilannekuva_{measure}_{ctx.year}",
                           [measure] if is_indicator else None, key="compare")

# --- Regions × dimensions heatmap -------------------------------------------------------------
st.subheader(tr("compare.heatmap_title", year=ctx.year))
columns = ["overall", *dim_ids]
matrix = tables.score_matrix(scores, ctx.year, ctx.regions, columns)
text = matrix.map(lambda v: fmt.number(v, 0, lang))
matrix.index = [ctx.names[c] for c in matrix.index]
text.index = matrix.index
matrix.columns = text.columns = [tr("common.overall_short"), *[ctx.dim_labels[d] for d in dim_ids]]
fig = charts.heatmap(matrix, text, tr("common.score_0_100"), tr("common.no_data"), lang=lang)
alt = tr("compare.heatmap_alt", year=ctx.year)
st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
st.caption(alt + " " + tr("common.missing_mark_note"))

if not is_indicator:
    st.subheader(tr("compare.intervals_title", measure=measure_label(measure)))
    fig = charts.rank_intervals(ranked, tr("col.rank"), highlight=ctx.area_name, lang=lang)
    alt = tr("compare.intervals_alt", measure=measure_label(measure), year=ctx.year)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    st.caption(alt)
