"""Tilannekuva: one region's situational picture (the default page). Layout only."""

import pandas as pd
import streamlit as st

from ui import charts, data, downloads, sentences, shell, tables
from ui import format as fmt

ctx = shell.context()
tr, lang = ctx.tr, ctx.lang
dim_ids = list(ctx.dimensions["id"])
shell.set_page_params(ctx, {})

# --- Header: region, data year, freshness ---------------------------------------------------
st.title(ctx.area_name)
st.caption(fmt.freshness_caption(data.freshness(), lang, tr, "region.subtitle",
                                 year=fmt.year(ctx.year)))
downloads.brief_buttons(ctx.area, lang, ctx.year, ctx.area_name)

if ctx.year is None:
    st.info(tr("common.no_data_year"), icon=":material/info:")
    st.stop()

scores = data.scores(period=[ctx.year - 1, ctx.year])
rows = tables.dimension_rows(scores, ctx.area, ctx.year, dim_ids)
labels = {"overall": tr("common.overall"), **ctx.dim_labels}
n_regions = len(ctx.regions)

# --- Overall index and the six dimensions ---------------------------------------------------
st.subheader(tr("region.scores_title", year=ctx.year))
if rows["score"].isna().all():
    st.info(tr("region.no_scores", region=ctx.area_name, year=ctx.year),
            icon=":material/info:")


def score_card(row: dict) -> None:
    """Show one score card: score, 1-year change arrow, rank with interval, 5-year change."""
    missing = fmt.is_missing(row["score"])
    arrow, colour = fmt.change_style(row["change_1y"], True, 1)
    with st.container(border=True):
        st.metric(labels[row["dimension"]],
                  value=fmt.MISSING if missing else fmt.number(row["score"], 1, lang),
                  delta=None if fmt.is_missing(row["change_1y"])
                  else fmt.signed(row["change_1y"], 1, lang),
                  delta_color=colour, delta_arrow=arrow,
                  delta_description=tr("region.vs_previous_year"),
                  help=ctx.dimensions.set_index("id")[f"description_{lang}"].get(
                      row["dimension"], tr("region.overall_help")))
        if missing:
            st.caption(tr("region.score_missing", n=fmt.year(row["n_indicators"])))
        else:
            st.caption(tr("region.rank_line", rank=fmt.rank(row["rank"], n_regions, lang),
                          interval=fmt.rank_interval(row["rank_low"], row["rank_high"]),
                          change5=fmt.arrow_text(row["change_5y"], 1, lang)))


records = rows.to_dict("records")
for start in (0, 4):
    cols = st.columns(4)
    for col, row in zip(cols, records[start:start + 4], strict=False):
        with col:
            score_card(row)
    if start == 4:
        with cols[3]:
            st.caption(tr("region.scores_note"))

# --- Radar and strengths & weaknesses ---------------------------------------------------------
left, right = st.columns([5, 6])
with left:
    st.subheader(tr("region.radar_title"))
    previous = (tables.dimension_vector(scores, ctx.area, ctx.year - 1, dim_ids)
                if (ctx.year - 1) in ctx.years else None)
    own = tables.dimension_vector(scores, ctx.area, ctx.year, dim_ids)
    country = tables.dimension_vector(scores, tables.COUNTRY, ctx.year, dim_ids)
    fig = charts.radar([ctx.dim_labels[d] for d in dim_ids], own,
                       {"region": f"{ctx.area_name} {ctx.year}",
                        "country": ctx.names.get(tables.COUNTRY, "SSS"),
                        "previous": f"{ctx.area_name} {ctx.year - 1}"},
                       country=country, previous=previous, lang=lang)
    alt = tr("region.radar_alt", region=ctx.area_name, year=ctx.year)
    st.plotly_chart(fig, config=charts.plot_config(lang), alt=alt)
    st.caption(alt)

peer_frame = data.peers(ctx.area)
peer_codes = tuple(peer_frame.sort_values("peer_rank")["peer_code"])
with right:
    st.subheader(tr("region.sw_title"))
    sw = data.strengths(ctx.area, ctx.year, peer_codes)
    said = sentences.sentences(sw, lang, {**ctx.dim_labels, **ctx.ind_labels})
    for kind, heading, icon in (("strength", tr("region.strengths"), "▲"),
                                ("weakness", tr("region.weaknesses"), "▼")):
        st.markdown(f"**{heading}**")
        items = [s for s in said if s.kind == kind]
        if items:
            st.markdown("\n".join(f"- {icon} {s.text}" for s in items))
        else:
            st.caption(tr("region.sw_none"))
    rules = sorted({s.rule for s in said if s.rule})
    st.caption(tr("region.sw_rule", rules="; ".join(sentences.rule_text(r, lang) for r in rules))
               if rules else tr("region.sw_rule_default"))

# --- Key indicators ---------------------------------------------------------------------------
st.subheader(tr("region.key_title"))
key_ids = list(ctx.indicators.loc[ctx.indicators["key"].fillna(False).astype(bool), "id"])
obs = data.observations(indicator_ids=key_ids, area_codes=[ctx.area, tables.COUNTRY])
keys = tables.key_indicators(obs, ctx.indicators, ctx.area, ctx.year, lang)
display = pd.DataFrame({
    tr("col.indicator"): keys["label"],
    tr("col.value"): [fmt.with_unit(v, u, d, lang) for v, u, d in
                      zip(keys["value"], keys["unit"], keys["decimals"], strict=True)],
    tr("col.year"): [fmt.year(p) for p in keys["period"]],
    tr("col.change"): [fmt.MISSING if fmt.is_missing(c) else
                       {"up": "▲ ", "down": "▼ ", "off": "● "}[fmt.change_style(c, True, d)[0]]
                       + fmt.signed(c, d, lang)
                       for c, d in zip(keys["change"], keys["decimals"], strict=True)],
    tr("col.country"): [fmt.with_unit(v, u, d, lang) for v, u, d in
                        zip(keys["country_value"], keys["unit"], keys["decimals"], strict=True)],
    tr("col.trend"): keys["series"],
})
change_col = tr("col.change")
colours = ["" if fmt.change_style(c, True, d)[0] == "off" else
           "color: #0072B2" if g is True else "color: #B34700" if g is False else ""
           for g, c, d in zip(keys["good"], keys["change"], keys["decimals"], strict=True)]
styled = display.style.apply(lambda _: colours, subset=[change_col])
st.dataframe(styled, hide_index=True, width="stretch", height=35 * (len(display) + 1) + 3,
             column_config={tr("col.trend"): st.column_config.LineChartColumn(
                 tr("col.trend"), help=tr("region.trend_help"))})
st.caption(tr("region.key_note"))

# --- Peers and locator map ----------------------------------------------------------------------
left, right = st.columns([3, 1])
with left:
    st.subheader(tr("region.peers_title"))
    if not peer_codes:
        st.info(tr("region.no_peers"), icon=":material/info:")
    codes = [ctx.area, *peer_codes, tables.COUNTRY]
    wide = tables.peer_table(scores, ctx.year, codes, dim_ids)
    ranks = tables.peer_table(scores, ctx.year, codes, dim_ids, column="rank")
    peer_display = pd.DataFrame(
        {ctx.names.get(c, c): [
            fmt.MISSING if fmt.is_missing(v) else fmt.number(v, 1, lang)
            + ("" if fmt.is_missing(r) else f" ({fmt.rank(r, n_regions, lang)})")
            for v, r in zip(wide[c], ranks[c], strict=True)] for c in codes},
        index=[labels[d] for d in wide.index])
    st.dataframe(peer_display, width="stretch")
    st.caption(tr("region.peers_note"))
with right:
    st.subheader(tr("region.map_title"))
    geo = data.map_paths(detail=False)
    if geo is None:
        st.caption(tr("common.no_map"))
    else:
        alt = tr("region.map_alt", region=ctx.area_name)
        st.plotly_chart(charts.locator(geo, ctx.area, ctx.area_name, lang=lang), alt=alt,
                        config={**charts.plot_config(lang), "staticPlot": True})
        st.caption(alt)
