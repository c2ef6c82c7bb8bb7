"""The Streamlit app's own parts: shell, URL state, cached data, plotly charts, renderings."""
