"""Scroll the page to its top, after "Domain berikutnya": Streamlit keeps the scroll position
across a rerun and offers no way to move it. The only script the app adds: a constant file,
no user text, allowed by its hash in the nginx Content-Security-Policy (ops/replicas.py)."""

from pathlib import Path

import streamlit as st

SCRIPTS = Path(__file__).resolve().parent / "scripts"
SCROLL_TOP = (SCRIPTS / "scroll_top.js").read_text(encoding="utf-8")
WANTED = "scroll_to_top"


def ask() -> None:
    """From a callback: the next run starts at the top."""
    st.session_state[WANTED] = True


def if_asked() -> None:
    if st.session_state.pop(WANTED, False):
        st.html(f"<script>{SCROLL_TOP}</script>", unsafe_allow_javascript=True, width="content")
