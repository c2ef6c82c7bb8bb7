"""Indikaattorit: explore one indicator for up to five areas over time and across areas."""

import pandas as pd
import streamlit as st

from ui import charts, data, downloads, shell, state, tables
from ui import format as fmt

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
K_IND, K_AREAS, K_LEVEL, K_DYEAR = "w_mittari", "w_alueet", "w_taso", "w_jvuosi"
LEVELS = ("region", "subregion", "municipality")
LEVEL_KEYS = {"country": "level.country", "region": "level.region",
              "subregion": "level.subregion", "municipality": "level.municipality"}
ONE_KEYS = {"region": "area_level.region", "subregion": "area_level.subregion",
            "municipality": "area_level.municipality"}
FLAG_KEYS = {"p": "flag.p", "e": "flag.e", "b": "flag.b", "missing": "flag.missing",
             "confidential": "flag.confidential"}

inds = ctx.indicators
ind_ids = list(inds["id"])
default_ind = "unemployment_rate" if "unemployment_rate" in ind_ids else ind_ids[0]
issues = shell.page_param(K_IND, state.P_INDICATOR,
                          lambda raw: state.parse_choice(raw, ind_ids, default_ind,
                                                         state.P_INDICATOR))
st.title(tr("explorer.title"))
ind_info = inds.set_index("id")


def indicator_label(i: str) -> str:
    """Return 'Dimension · indicator' for the picker."""
    return f"{ctx.dim_labels[ind_info.loc[i, 'dimension']]} · {ctx.ind_labels[i]}"


indicator = st.selectbox(tr("explorer.indicator"), ind_ids, format_func=indicator_label, key=K_IND)
info = ind_info.loc[indicator]
unit, decimals = info[f"unit_{lang}"], int(info["decimals"])
obs = data.observations(indicator_ids=[indicator])
level_of = dict(zip(ctx.areas["code"], ctx.areas["level"], strict=True))
with_data = set(obs.loc[obs["value"].notna(), "area_code"])
options = [c for c in ctx.areas["code"] if c in with_data]
default_areas = [c for c in (ctx.area, tables.COUNTRY) if c in with_data] or options[:1]

issues += shell.page_param(K_AREAS, state.P_AREAS,
                           lambda raw: state.parse_codes(raw, options, default_areas))
kept = [c for c in st.session_state.get(K_AREAS) or [] if c in options]
st.session_state[K_AREAS] = kept or default_areas


def area_label(code: str) -> str:
    """Return 'name (level)' for the area picker; the whole country by its name only."""
    name = ctx.names.get(code, code)
    level = level_of[code]
    return f"{name} ({tr(ONE_KEYS[level])})" if level in ONE_KEYS else name


chosen = st.multiselect(tr("explorer.areas"), options, format_func=area_label, key=K_AREAS,
                        max_selections=state.MAX_AREAS, help=tr("explorer.areas_help"))
shell.show_issues(issues, lang, lambda i: (indicator_label(indicator) if i.param ==
                                           state.P_INDICATOR else ", ".join(
                                               ctx.names.get(c, c) for c in default_areas)))

# --- Description and source ------------------------------------------------------------------
with st.container(border=True):
    st.markdown(f"**{ctx.ind_labels[indicator]}** ({unit}) — {info[f'description_{lang}']}")
    direction = tr("explorer.higher_better") if info["direction"] == "higher_better" \
        else tr("explorer.lower_better")
    st.caption(tr("explorer.source_line", direction=direction,
                  publisher=info["source_publisher"], table=info["source_table"],
                  licence=info["source_licence"]))
    if ctx.year is not None:
        own = data.indicator_scores(period=ctx.year, area_code=ctx.area, indicator_ids=[indicator])
        if own.empty or fmt.is_missing(own["score"].iloc[0]):
            st.caption(tr("explorer.score_missing", region=ctx.area_name, year=ctx.year))
        else:
            row = own.iloc[0]
            st.markdown(tr("explorer.score_line", region=ctx.area_name, year=ctx.year,
                           score=fmt.number(row["score"], 1, lang),
                           value=fmt.with_unit(row["value"], unit, decimals, lang),
                           period=fmt.year(row["value_period"])))

if obs["value"].notna().sum() == 0:
    st.info(tr("common.no_data"), icon=":material/info:")
    st.stop()

# --- Time series ----------------------------------------------------------------------------
st.subheader(tr("explorer.series_title"))
selected = obs[obs["area_code"].isin(chosen)].copy()
selected["name"] = selected["area_code"].map(ctx.names)
order = {c: i for i, c in enumerate(chosen)}
selected = selected.sort_values(["area_code", "period"], key=lambda s: s.map(order)
                                if s.name == "area_code" else s)
if selected["value"].notna().any():
    fig = charts.time_series(selected[["name", "period", "value"]], unit,
                             reference=ctx.names.get(tables.COUNTRY), lang=lang)
    alt = tr("explorer.series_alt", indicator=ctx.ind_labels[indicator],
             areas=", ".join(ctx.names.get(c, c) for c in chosen))
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    st.caption(alt + " " + tr("explorer.gap_note"))
else:
    st.info(tr("explorer.no_series"), icon=":material/info:")

# --- Distribution across areas for a year -----------------------------------------------------
st.subheader(tr("explorer.distribution_title"))
levels = [lv for lv in LEVELS if any(level_of.get(c) == lv for c in with_data)]
issues_d = shell.page_param(K_LEVEL, state.P_LEVEL,
                            lambda raw: state.parse_choice(raw, levels, levels[0] if levels
                                                           else None, state.P_LEVEL))
if st.session_state.get(K_LEVEL) not in levels and levels:
    st.session_state[K_LEVEL] = levels[0]
left, right = st.columns([1, 2])
with left:
    level = st.radio(tr("explorer.level"), levels, format_func=lambda lv: tr(LEVEL_KEYS[lv]),
                     key=K_LEVEL, horizontal=True) if levels else None
level_codes = {c for c, lv in level_of.items() if lv == level}
level_obs = obs[obs["area_code"].isin(level_codes)]
years = sorted(int(p) for p in level_obs.loc[level_obs["value"].notna(), "period"].unique())
default_year = max([y for y in years if ctx.year is None or y <= ctx.year] or years or [None])
issues_d += shell.page_param(K_DYEAR, state.P_DIST_YEAR,
                             lambda raw: state.parse_year(raw, years, default_year,
                                                          state.P_DIST_YEAR))
if st.session_state.get(K_DYEAR) not in years:
    st.session_state[K_DYEAR] = default_year
with right:
    dist_year = st.select_slider(tr("explorer.year"), options=years, key=K_DYEAR) \
        if len(years) > 1 else default_year
shell.show_issues(issues_d, lang, lambda i: str(default_year))
shell.set_page_params(ctx, {state.P_INDICATOR: indicator, state.P_AREAS: ",".join(chosen),
                            state.P_LEVEL: level or "", state.P_DIST_YEAR: str(dist_year or "")})
if dist_year is not None:
    year_obs = level_obs[level_obs["period"] == dist_year]
    frame = pd.DataFrame({"name": year_obs["area_code"].map(ctx.names),
                          "value": year_obs["value"].astype(float)})
    country = obs[(obs["area_code"] == tables.COUNTRY) & (obs["period"] == dist_year)]["value"]
    fig = charts.distribution(frame, unit, highlight=[ctx.names.get(c, c) for c in chosen],
                              reference=float(country.iloc[0]) if len(country)
                              and pd.notna(country.iloc[0]) else None,
                              reference_label=ctx.names.get(tables.COUNTRY, ""), lang=lang)
    alt = tr("explorer.distribution_alt", indicator=ctx.ind_labels[indicator], year=dist_year,
             level=tr(LEVEL_KEYS[level]), n=int(frame["value"].notna().sum()))
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    no_value = sorted(set(level_codes) - set(year_obs.loc[year_obs["value"].notna(),
                                                          "area_code"]))
    st.caption(alt + (" " + tr("explorer.missing_count", n=len(no_value)) if no_value else ""))

# --- Table ----------------------------------------------------------------------------------
st.subheader(tr("explorer.table_title"))
cells = selected.assign(text=[
    (fmt.number(v, decimals, lang) if not fmt.is_missing(v) else fmt.MISSING)
    + (f" ({f})" if isinstance(f, str) and f in ("p", "e", "b") else "")
    for v, f in zip(selected["value"], selected["flag"], strict=True)])
table = cells.pivot_table(index="name", columns="period", values="text", aggfunc="first")
table = table.reindex([ctx.names.get(c, c) for c in chosen]).fillna(fmt.MISSING)
table.columns = [str(c) for c in table.columns]
table.index.name = tr("col.area")
st.dataframe(table, width="stretch")
downloads.data_buttons(selected.drop(columns="name"), lang, f"tilannekuva_{indicator}",
                       [indicator], key="explorer")
flags = sorted({f for f in selected["flag"].dropna() if f in FLAG_KEYS})
st.caption(tr("explorer.table_note", unit=unit) + " " + " ".join(tr(FLAG_KEYS[f]) for f in flags))
used = data.sources()
used = used[used["source_id"].isin(set(obs["source_id"]))]
with st.expander(tr("explorer.sources_title", n=len(used))):
    st.dataframe(used[["publisher", "title", "table_id", "licence", "updated"]].rename(columns={
        "publisher": tr("col.publisher"), "title": tr("col.title"), "table_id": tr("col.table"),
        "licence": tr("col.licence"), "updated": tr("col.updated")}), hide_index=True,
        width="stretch")
