"""Painotukset: change dimension and indicator weights and the method; see how ranks change."""

import streamlit as st

from presentation import weights
from ui import charts, data, render, shell, state

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
K_NORM, K_AGG = "w_norm", "w_agg"
STEPS = list(state.WEIGHT_STEPS)
groups = weights.weight_groups(ctx.indicators, ctx.dimensions, lang)
dim_key = {d: f"w_dw_{d}" for d, _, _ in groups}
ind_key = {i: f"w_iw_{i}" for _, _, members in groups for i, _ in members}
names = {**ctx.dim_labels, **ctx.ind_labels}
weight_label = render.number_formatter(lang)

st.title(render.md(tr("weights.title")))
st.caption(tr("weights.intro"))
if ctx.year is None:
    st.info(tr("common.no_data_year"), icon=":material/info:")
    st.stop()



# --- Seed the widgets from the URL on the first visit --------------------------------------
issues = shell.page_param(K_NORM, state.P_NORM,
                          lambda raw: state.parse_choice(raw, list(weights.NORMALISATIONS),
                                                         "goalposts", state.P_NORM))
issues += shell.page_param(K_AGG, state.P_AGG,
                           lambda raw: state.parse_choice(raw, list(weights.AGGREGATIONS),
                                                          "arithmetic", state.P_AGG))
url_problems: list[str] = []
if all(k not in st.session_state for k in dim_key.values()):
    url_dims, found = state.parse_weights(st.query_params.get(state.P_DIM_WEIGHTS), dim_key,
                                          state.P_DIM_WEIGHTS)
    url_inds, found_i = state.parse_weights(st.query_params.get(state.P_IND_WEIGHTS), ind_key,
                                            state.P_IND_WEIGHTS)
    issues += found + found_i
    url_problems = weights.problems("goalposts", "arithmetic", url_dims, url_inds,
                                    ctx.indicators, lang, names)
    if not url_problems:
        issues += (state.off_grid(url_dims, state.P_DIM_WEIGHTS)
                   + state.off_grid(url_inds, state.P_IND_WEIGHTS))
    for key, ident in [*((v, k) for k, v in dim_key.items()),
                       *((v, k) for k, v in ind_key.items())]:
        given = {**(url_dims or {}), **(url_inds or {})}
        st.session_state[key] = (1.0 if url_problems
                                 else state.snap_weight(given.get(ident, 1.0)))


def issue_default(issue: state.Issue) -> str:
    """Return what is shown instead: the nearest step for an off-scale weight."""
    if issue.reason == "off_grid":
        return weight_label(state.snap_weight(float(issue.value.rpartition(":")[2])))
    return tr("weights.default_method")


shell.show_issues(issues, lang, issue_default)
for text in url_problems:
    st.warning(render.md(tr("weights.url_problem", detail=text)), icon=":material/warning:")


def reset() -> None:
    """Put every weight back to 1 and the method to the default."""
    for key in [*dim_key.values(), *ind_key.values()]:
        st.session_state[key] = 1.0
    st.session_state[K_NORM] = "goalposts"
    st.session_state[K_AGG] = "arithmetic"


controls, results = st.columns([2, 3])
with controls:
    st.subheader(render.md(tr("weights.method_title")))
    norm = st.radio(tr("weights.normalisation"), list(weights.NORMALISATIONS), key=K_NORM,
                    format_func=lambda n: tr(weights.NORMALISATIONS[n]),
                    help=tr("weights.normalisation_help"))
    agg = st.radio(tr("weights.aggregation"), list(weights.AGGREGATIONS), key=K_AGG,
                   format_func=lambda a: tr(weights.AGGREGATIONS[a]),
                   help=tr("weights.aggregation_help"))
    st.subheader(render.md(tr("weights.dimensions_title")))
    for d, label, _ in groups:
        st.select_slider(render.md(label), STEPS, key=dim_key[d], format_func=weight_label)
    st.subheader(render.md(tr("weights.indicators_title")))
    for _, label, members in groups:
        with st.expander(render.md(label)):
            for i, ind_label in members:
                st.select_slider(render.md(ind_label), STEPS, key=ind_key[i],
                                 format_func=weight_label)
    st.button(tr("weights.reset"), on_click=reset, icon=":material/restart_alt:")

custom_dims = {d: float(st.session_state[k]) for d, k in dim_key.items()
               if st.session_state[k] != 1.0}
custom_inds = {i: float(st.session_state[k]) for i, k in ind_key.items()
               if st.session_state[k] != 1.0}
shell.set_page_params(ctx, {
    state.P_NORM: norm if norm != "goalposts" else "",
    state.P_AGG: agg if agg != "arithmetic" else "",
    state.P_DIM_WEIGHTS: state.format_weights(custom_dims),
    state.P_IND_WEIGHTS: state.format_weights(custom_inds)})

with results:
    st.subheader(render.md(tr("weights.results_title", year=ctx.year)))
    problems = weights.problems(norm, agg, custom_dims, custom_inds, ctx.indicators, lang, names)
    for text in problems:
        st.warning(render.md(text), icon=":material/warning:")
    if problems:
        st.stop()
    picture = data.weights_picture(norm, agg, custom_dims, custom_inds, ctx.year, ctx.area,
                                   lang)
    render.paragraph(picture.summary)
    st.metric(render.md(picture.own_label), value=picture.own_rank,
              delta=picture.own_change_text or None,
              delta_color="blue" if (picture.own_change or 0) > 0 else "orange",
              delta_description=tr("weights.vs_default"))
    render.caption(picture.own_score_text)
    render.table(picture.table)
    render.caption(picture.table_note)
    st.subheader(render.md(tr("weights.chart_title")))
    fig = charts.score_shift(picture.chart, {"default": tr("weights.col_default_score"),
                                             "custom": tr("weights.col_custom_score")},
                             tr("common.score_0_100"), highlight=picture.highlight, lang=lang)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=picture.chart_caption)
    render.caption(picture.chart_caption)
