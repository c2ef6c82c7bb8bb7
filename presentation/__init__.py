"""Presentation layer: one view-model per view, built from the read API, rendered by app and brief.

Nothing here imports Streamlit, plotly, `ui` or `report`: the page scripts (views/, via ui/) and
the printable brief (report/) both render these frozen view-models, so they show the same
figures, formatted and worded the same way.
"""
