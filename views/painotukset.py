"""Painotukset: change dimension and indicator weights and the method; see how ranks change."""

import pandas as pd
import streamlit as st

from indicators.scoring import WeightsError
from ui import charts, data, shell, state, tables
from ui import format as fmt

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
dim_ids = list(ctx.dimensions["id"])
ind_ids = list(ctx.indicators["id"])
NORMS = {"goalposts": "weights.norm_goalposts", "minmax": "weights.norm_minmax",
         "zscore": "weights.norm_zscore"}
AGGS = {"arithmetic": "weights.agg_arithmetic", "geometric": "weights.agg_geometric"}
K_NORM, K_AGG = "w_norm", "w_agg"
dim_key = {d: f"w_dw_{d}" for d in dim_ids}
ind_key = {i: f"w_iw_{i}" for i in ind_ids}
MAX_W, STEP = 5.0, 0.5
STEPS = [i * STEP for i in range(int(MAX_W / STEP) + 1)]

st.title(tr("weights.title"))
st.caption(tr("weights.intro"))
if ctx.year is None:
    st.info(tr("common.no_data_year"), icon=":material/info:")
    st.stop()



def snap(value: float) -> float:
    """Return a weight on the sliders' scale (0–5 in steps of 0.5)."""
    return min(STEPS, key=lambda s: abs(s - float(value)))


def weight_label(value: float) -> str:
    """Return a weight as shown on a slider, in the chosen language."""
    return fmt.number(value, 1, lang)


# --- Seed the widgets from the URL on the first visit --------------------------------------
issues = shell.page_param(K_NORM, state.P_NORM,
                          lambda raw: state.parse_choice(raw, list(NORMS), "goalposts",
                                                         state.P_NORM))
issues += shell.page_param(K_AGG, state.P_AGG,
                           lambda raw: state.parse_choice(raw, list(AGGS), "arithmetic",
                                                          state.P_AGG))
url_problems: list[tuple[str, str]] = []
if all(k not in st.session_state for k in dim_key.values()):
    url_dims, found = state.parse_weights(st.query_params.get(state.P_DIM_WEIGHTS), dim_ids,
                                          state.P_DIM_WEIGHTS)
    url_inds, found_i = state.parse_weights(st.query_params.get(state.P_IND_WEIGHTS), ind_ids,
                                            state.P_IND_WEIGHTS)
    issues += found + found_i
    url_problems = state.weight_problems(url_dims) + state.weight_problems(url_inds)
    usable = not url_problems
    for d in dim_ids:
        value = (url_dims or {}).get(d, 1.0) if usable else 1.0
        st.session_state[dim_key[d]] = snap(value)
    for i in ind_ids:
        value = (url_inds or {}).get(i, 1.0) if usable else 1.0
        st.session_state[ind_key[i]] = snap(value)
shell.show_issues(issues, lang, lambda i: tr("weights.default_method"))
for ident, problem in url_problems:
    name = ctx.dim_labels.get(ident) or ctx.ind_labels.get(ident, ident)
    st.warning(tr("weights.url_negative" if problem == "negative" else "weights.url_nan",
                  name=name), icon=":material/warning:")


def reset() -> None:
    """Put every weight back to 1 and the method to the default."""
    for key in [*dim_key.values(), *ind_key.values()]:
        st.session_state[key] = 1.0
    st.session_state[K_NORM] = "goalposts"
    st.session_state[K_AGG] = "arithmetic"


controls, results = st.columns([2, 3])
with controls:
    st.subheader(tr("weights.method_title"))
    norm = st.radio(tr("weights.normalisation"), list(NORMS), key=K_NORM,
                    format_func=lambda n: tr(NORMS[n]), help=tr("weights.normalisation_help"))
    agg = st.radio(tr("weights.aggregation"), list(AGGS), key=K_AGG,
                   format_func=lambda a: tr(AGGS[a]), help=tr("weights.aggregation_help"))
    st.subheader(tr("weights.dimensions_title"))
    for d in dim_ids:
        st.select_slider(ctx.dim_labels[d], STEPS, key=dim_key[d], format_func=weight_label)
    st.subheader(tr("weights.indicators_title"))
    for d in dim_ids:
        with st.expander(ctx.dim_labels[d]):
            for i in ctx.indicators.loc[ctx.indicators["dimension"] == d, "id"]:
                st.select_slider(ctx.ind_labels[i], STEPS, key=ind_key[i],
                                 format_func=weight_label)
    st.button(tr("weights.reset"), on_click=reset, icon=":material/restart_alt:")

dim_w = {d: float(st.session_state[dim_key[d]]) for d in dim_ids}
ind_w = {i: float(st.session_state[ind_key[i]]) for i in ind_ids}
custom_dims = {d: w for d, w in dim_w.items() if w != 1.0}
custom_inds = {i: w for i, w in ind_w.items() if w != 1.0}
shell.set_page_params(ctx, {
    state.P_NORM: norm if norm != "goalposts" else "",
    state.P_AGG: agg if agg != "arithmetic" else "",
    state.P_DIM_WEIGHTS: state.format_weights(custom_dims),
    state.P_IND_WEIGHTS: state.format_weights(custom_inds)})

with results:
    st.subheader(tr("weights.results_title", year=ctx.year))
    problems = []
    if state.all_zero(dim_w, dim_ids):
        problems.append(tr("weights.all_zero"))
    for d in dim_ids:
        members = list(ctx.indicators.loc[ctx.indicators["dimension"] == d, "id"])
        if dim_w[d] > 0 and state.all_zero(ind_w, members):
            problems.append(tr("weights.dimension_all_zero", name=ctx.dim_labels[d]))
    custom = None
    if not problems:
        try:
            custom = data.custom_scores(norm, agg, custom_dims, custom_inds, ctx.year)
            default = data.custom_scores("goalposts", "arithmetic", None, None, ctx.year)
        except WeightsError as exc:
            problems.append(tr("weights.invalid", detail=str(exc)))
    if problems:
        for text in problems:
            st.warning(text, icon=":material/warning:")
        st.stop()
    changed = tables.what_changed(default, custom, ctx.year, ctx.names, ctx.regions)
    n = len(ctx.regions)
    moved = int((changed["rank_change"].fillna(0) != 0).sum())
    st.markdown(tr("weights.summary", moved=moved, n=n))
    own = changed[changed["area_code"] == ctx.area]
    if not own.empty:
        row = own.iloc[0]
        st.metric(tr("weights.own_rank", region=ctx.area_name),
                  value=fmt.rank(row["custom_rank"], n, lang),
                  delta=None if fmt.is_missing(row["rank_change"]) or row["rank_change"] == 0
                  else fmt.signed(row["rank_change"], 0, lang),
                  delta_color=fmt.change_style(row["rank_change"])[1],
                  delta_arrow=fmt.change_style(row["rank_change"])[0],
                  delta_description=tr("weights.vs_default"))
        st.caption(tr("weights.own_score", score=fmt.number(row["custom_score"], 1, lang),
                      default=fmt.number(row["default_score"], 1, lang)))
    table = pd.DataFrame({
        tr("col.region"): changed["name"],
        tr("weights.col_custom_rank"): [fmt.rank(r, n, lang) for r in changed["custom_rank"]],
        tr("weights.col_default_rank"): [fmt.rank(r, n, lang) for r in changed["default_rank"]],
        tr("weights.col_change"): [
            fmt.MISSING if fmt.is_missing(c) else
            ("▲ " if c > 0 else "▼ " if c < 0 else "● ") + fmt.signed(c, 0, lang)
            for c in changed["rank_change"]],
        tr("weights.col_custom_score"): [fmt.number(s, 1, lang) for s in changed["custom_score"]],
        tr("weights.col_default_score"): [fmt.number(s, 1, lang)
                                          for s in changed["default_score"]],
    })
    change_col = tr("weights.col_change")
    colours = ["color: #0072B2" if c > 0 else "color: #B34700" if c < 0 else ""
               for c in changed["rank_change"].fillna(0)]
    st.dataframe(table.style.apply(lambda _: colours, subset=[change_col]), hide_index=True,
                 width="stretch", height=35 * (len(table) + 1) + 3)
    st.caption(tr("weights.table_note"))
    st.subheader(tr("weights.chart_title"))
    fig = charts.score_shift(changed, {"default": tr("weights.col_default_score"),
                                       "custom": tr("weights.col_custom_score")},
                             tr("common.score_0_100"), highlight=ctx.area_name, lang=lang)
    alt = tr("weights.chart_alt", year=ctx.year)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    st.caption(alt)
