"""Tilannekuva: one region's situational picture (the default page). Layout only."""

import streamlit as st

from report.brief import brief_bytes
from ui import data, downloads, render, shell

ctx = shell.context()
shell.set_page_params(ctx, {})
if ctx.year is None:
    st.title(render.md(ctx.area_name))
    st.info(ctx.tr("common.no_data_year"), icon=":material/info:")
    st.stop()
picture = data.region_picture(ctx.area, ctx.year, ctx.lang)
alke = data.alke_picture(ctx.area, ctx.lang)
charts, locator = data.region_images(ctx.area, ctx.year, ctx.lang)
labels = picture.labels

# --- Header: region, year, how old the figures are ------------------------------------------
st.title(render.md(picture.region_name))
render.caption(picture.subtitle)
render.strong(picture.ages_text)
render.notices(picture.notices)
downloads.brief_buttons(picture, lambda shown, kind: brief_bytes(
    shown, kind, alke=alke, alke_images=data.alke_print_images(ctx.area, ctx.lang)))

# --- Overall index and the six dimensions ---------------------------------------------------
st.subheader(render.md(labels["scores_title"]))
if picture.no_scores_text:
    st.info(render.md(picture.no_scores_text), icon=":material/info:")
for start in (0, 4):
    columns = st.columns(4)
    for column, card in zip(columns, picture.cards[start:start + 4], strict=False):
        with column:
            render.score_card(card, labels["vs_previous_year"])
    if start == 4:
        with columns[3]:
            render.caption(picture.scores_note)

# --- Radar and strengths & weaknesses ---------------------------------------------------------
left, right = st.columns([5, 6])
with left:
    st.subheader(render.md(labels["radar_title"]))
    render.image(charts.radar, picture.radar.caption)
with right:
    st.subheader(render.md(labels["sw_title"]))
    for heading, items, empty, symbol, tone in (
            (labels["strengths"], picture.strengths, picture.strengths_empty, "▲", "good"),
            (labels["weaknesses"], picture.weaknesses, picture.weaknesses_empty, "▼", "bad")):
        render.strong(heading)
        if items:
            render.bullets(items, symbol, tone)
        else:
            render.caption(empty)
    if picture.extremes:
        render.strong(labels["extremes"])
        render.bullets(picture.extremes)
    render.caption(picture.sw_rule)

# --- Key indicators ---------------------------------------------------------------------------
st.subheader(render.md(labels["key_title"]))
render.table(picture.key_table)
render.caption(picture.key_note)
if charts.trends is not None:  # drawn and sent only once opened (a rerun on opening)
    trends = st.expander(render.md(labels["trends_title"]), key="x_trends", on_change="rerun")
    if trends.open:
        with trends:
            render.image(data.page_trends(ctx.area, ctx.year, ctx.lang), picture.trend_caption)

# --- Peers and locator map ----------------------------------------------------------------------
left, right = st.columns([3, 1])
with left:
    st.subheader(render.md(labels["peers_title"]))
    render.table(picture.peers)
    render.caption(picture.peers_note)
with right:
    st.subheader(render.md(labels["map_title"]))
    if locator is None:
        render.caption(ctx.tr("common.no_map"))
    else:
        render.image(locator, picture.map_caption)

# --- The region's own assessment, and the ALKE sections on their own page -------------------------
left, right = st.columns([3, 2])
with left:
    render.assessment(alke.assessment)
with right:
    st.page_link(shell.page("alke"), label=render.md(alke.link), icon=":material/forum:")
    render.caption(alke.link_help)
