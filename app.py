"""Tilannekuva app: a router that builds st.navigation from ui/pages.toml plus the sidebar shell."""

import streamlit as st

from ui import shell

st.set_page_config(page_title="Tilannekuva", page_icon=":material/insights:", layout="wide")

lang = shell.language()
page = st.navigation(shell.pages(lang), position="sidebar")
shell.sidebar(lang)
page.run()
