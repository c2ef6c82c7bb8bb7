"""ALKE: what the regional-development discussion needs beside the annual picture. Layout only.

The fast picture, the structural-change alerts, the region's own assessment, the industry
structure and the EU twins of the chosen region.
"""

import streamlit as st

from ui import data, downloads, render, shell

ctx = shell.context()
shell.set_page_params(ctx, {})
alke = data.alke_picture(ctx.area, ctx.lang)
alke_images = data.alke_images(ctx.area, ctx.lang)

st.title(render.md(alke.title))
render.caption(alke.intro)

# --- The fast picture, beside the region's own assessment -----------------------------------------
left, right = st.columns([3, 2])
with left:
    fast = alke.fast
    st.subheader(fast.title)
    render.strong(fast.month_text)
    render.caption(fast.intro)
    if fast.table is not None:
        render.table(fast.table)
    for note in fast.notes:
        render.caption(note)
    if alke_images.fast is not None:
        render.image(alke_images.fast, fast.chart.caption)
    render.caption(fast.source)
    if fast.download is not None:
        downloads.data_buttons(fast.download, key="fast")
with right:
    render.assessment(alke.assessment)

alerts = alke.alerts
st.subheader(alerts.title)
render.caption(alerts.intro)
render.strong(alerts.recent_title)
if alerts.recent:
    render.alert_items(alerts.recent)
else:
    st.info(render.md(alerts.recent_empty), icon=":material/info:")
for note in alerts.notes:
    render.caption(note)
if alerts.earlier:
    with st.expander(alerts.earlier_title):
        render.alert_items(alerts.earlier)
render.caption(alerts.method)
if alerts.download is not None:
    downloads.data_buttons(alerts.download, key="alerts")

# --- Industry structure ------------------------------------------------------------------------
industry = alke.industry
st.subheader(industry.title)
render.caption(industry.intro)
if industry.table is not None:
    left, right = st.columns([1, 1])
    with left:
        if alke_images.industry is not None:
            render.image(alke_images.industry, industry.chart.caption)
        for note in industry.notes:
            render.caption(note)
    with right:
        for growth in industry.growth:
            render.strong(growth.title)
            render.bullets(growth.lines)
    with st.expander(industry.table_title):
        render.table(industry.table)
        downloads.data_buttons(industry.download, key="industry")
render.caption(industry.source)

# --- EU twins ----------------------------------------------------------------------------------
twins = alke.twins
st.subheader(twins.title)
render.caption(twins.intro)
if twins.twins is not None:
    left, right = st.columns([2, 3])
    with left:
        render.table(twins.twins)
    with right:
        render.strong(twins.compare_title)
        render.table(twins.compare_narrow or twins.compare)
        downloads.data_buttons(twins.download, key="twins")
for note in twins.notes:
    render.caption(note)
