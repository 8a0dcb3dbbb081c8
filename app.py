"""Siaga Siber: the Streamlit entry point (a placeholder until the pages land)."""

import streamlit as st

st.set_page_config(page_title="Siaga Siber", page_icon="🛡️")
st.title("Siaga Siber")
st.write("Kesiapan keamanan siber dan pelindungan data sekolah · School cyber-security and data-protection readiness")
