"""Siaga Siber: the router. Page config, the sign-in gate, and the pages of the user's role."""

from pathlib import Path

import streamlit as st

from ui.common import current_actor, t

PAGES = Path(__file__).resolve().parent / "ui" / "pages"

# role -> (page file, title key, icon); the first page is the role's home.
ROLE_PAGES = {
    "sekolah": [
        ("beranda.py", "nav.beranda", ":material/home:"),
        ("penilaian.py", "nav.penilaian", ":material/checklist:"),
        ("hasil.py", "nav.hasil", ":material/monitoring:"),
        ("riwayat.py", "nav.riwayat", ":material/timeline:"),
        ("unduh.py", "nav.unduh", ":material/download:"),
        ("impor.py", "nav.impor", ":material/upload_file:"),
        ("glosarium.py", "nav.glosarium", ":material/menu_book:"),
    ],
}
COMMON_PAGES = [("glosarium.py", "nav.glosarium", ":material/menu_book:")]

st.set_page_config(page_title="Siaga Siber", page_icon=":material/shield:", layout="wide")

actor = current_actor()
if actor is None:
    pages = [st.Page(PAGES / "masuk.py", title=t("nav.masuk"), icon=":material/login:", default=True)]
else:
    entries = ROLE_PAGES.get(actor.role.value, COMMON_PAGES)
    pages = [st.Page(PAGES / name, title=t(key), icon=icon, default=i == 0)
             for i, (name, key, icon) in enumerate(entries)]
st.navigation(pages).run()
