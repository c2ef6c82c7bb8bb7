"""Tilannekuva app: a router that builds st.navigation from ui/pages.toml plus the sidebar shell."""

from pathlib import Path

import streamlit as st

from ui import shell

# A bundled icon: a Material Symbols favicon would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Tilannekuva", page_icon=str(Path(__file__).parent / "ui" /
                                                           "favicon.svg"), layout="wide")

lang = shell.language()
page = st.navigation(shell.pages(lang), position="sidebar")
shell.sidebar(lang)
try:
    page.run()
except shell.WarehouseMissing:  # a read failed after the check: the same friendly message
    shell.warehouse_message(lang)
