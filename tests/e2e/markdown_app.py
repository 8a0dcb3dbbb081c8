"""User text through plain() in the Markdown elements the pages use, next to one raw
control line that the browser does turn into a link (so the check can fail)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.e2e.hostile_text import HOSTILE  # noqa: E402
from ui.common import plain  # noqa: E402

with st.container(key="control"):
    st.markdown("Kontrol: https://kontrol.example dan www.kontrol.example")
with st.container(key="plain"):
    for text in HOSTILE:
        st.markdown(plain(text))
        st.caption(plain(text))
    st.info(f"Komentar: {plain(HOSTILE[0])}")
    st.warning(plain(HOSTILE[-1]))
