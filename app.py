"""Siaga Siber: the router. Page config, the sign-in gate, and the pages of the user's role."""

from pathlib import Path

import streamlit as st

from ui.common import current_actor, t
from ui.second_factor import owes_second_step, second_factor_page
from ui.signin import change_password_page, sign_in_page

PAGES = Path(__file__).resolve().parent / "ui" / "pages"

# role -> (page file, title key, icon); the first page is the role's home.
ROLE_PAGES = {
    "sekolah": [
        ("beranda.py", "nav.beranda", ":material/home:"),
        ("penilaian.py", "nav.penilaian", ":material/checklist:"),
        ("hasil.py", "nav.hasil", ":material/monitoring:"),
        ("rencana.py", "nav.rencana", ":material/task_alt:"),
        ("riwayat.py", "nav.riwayat", ":material/timeline:"),
        ("unduh.py", "nav.unduh", ":material/download:"),
        ("impor.py", "nav.impor", ":material/upload_file:"),
        ("glosarium.py", "nav.glosarium", ":material/menu_book:"),
    ],
    "auditor": [
        ("auditor_sekolah.py", "nav.auditor_sekolah", ":material/school:"),
        ("auditor_bandingkan.py", "nav.auditor_bandingkan", ":material/compare_arrows:"),
        ("auditor_tinjau.py", "nav.auditor_tinjau", ":material/fact_check:"),
        ("auditor_tindak_lanjut.py", "nav.auditor_tindak_lanjut", ":material/assignment_late:"),
        ("auditor_impor.py", "nav.auditor_impor", ":material/drive_folder_upload:"),
        ("glosarium.py", "nav.glosarium", ":material/menu_book:"),
    ],
    "pimpinan": [
        ("pimpinan_dasbor.py", "nav.pimpinan_dasbor", ":material/dashboard:"),
        ("pimpinan_ringkasan.py", "nav.pimpinan_ringkasan", ":material/print:"),
        ("glosarium.py", "nav.glosarium", ":material/menu_book:"),
    ],
    "admin": [
        ("admin_pengguna.py", "nav.admin_pengguna", ":material/manage_accounts:"),
        ("admin_sekolah.py", "nav.admin_sekolah", ":material/domain:"),
        ("admin_kuesioner.py", "nav.admin_kuesioner", ":material/quiz:"),
        ("admin_audit.py", "nav.admin_audit", ":material/policy:"),
        ("glosarium.py", "nav.glosarium", ":material/menu_book:"),
    ],
}
COMMON_PAGES = [("glosarium.py", "nav.glosarium", ":material/menu_book:")]
PASSWORD_PAGE = ("kata_sandi.py", "password.title", ":material/key:")

st.set_page_config(page_title="Siaga Siber", page_icon=":material/shield:", layout="wide")



def everywhere(page, title_key: str, icon: str) -> list:
    """One page under every known URL, so a refresh or a bookmark never meets "page not found"."""
    every = [*(name for entries in ROLE_PAGES.values() for name, _, _ in entries), PASSWORD_PAGE[0]]
    paths = dict.fromkeys(name.removesuffix(".py") for name in every)
    return [st.Page(page, title=t(title_key), icon=icon, url_path=path, default=i == 0)
            for i, path in enumerate(paths)]


actor = current_actor()
if actor is None:  # after sign-in the same URL opens that page, if the role has it
    st.navigation(everywhere(sign_in_page, "nav.masuk", ":material/login:"), position="hidden").run()
elif owes_second_step(st.session_state):  # TOTP (or enrolment): nothing else until it is done
    st.navigation(everywhere(second_factor_page, "totp.title", ":material/security:"), position="hidden").run()
elif actor.must_change_password:  # a one-time password: nothing else until it is replaced
    st.navigation(everywhere(change_password_page, "password.title", ":material/key:"), position="hidden").run()
else:
    st.query_params.update(st.session_state.pop("resume_query", {}))
    entries = ROLE_PAGES.get(actor.role.value, COMMON_PAGES) + [PASSWORD_PAGE]
    pages = [st.Page(PAGES / name, title=t(key), icon=icon, default=i == 0)
             for i, (name, key, icon) in enumerate(entries)]
    st.navigation(pages).run()
