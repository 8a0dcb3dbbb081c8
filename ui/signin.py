"""Sign-in. In demo mode it lists the demo accounts; elsewhere it shows neither them nor hints."""

import streamlit as st

from auth import SignInFailed
from storage.demo import DEMO_PASSWORD

from .common import is_demo, page_setup, show_error, sign_in, t


def sign_in_page() -> None:
    page_setup("signin.title")
    st.write(t("app.tagline"))
    if st.session_state.pop("signed_out_reason", None) == "idle":
        st.info(t("signin.idle"))

    with st.form("masuk"):
        username = st.text_input(t("signin.username"), autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")

    if submitted:
        try:
            sign_in(username, password)
        except SignInFailed as err:
            show_error(err)
        else:
            st.rerun()

    if is_demo():
        with st.container(border=True):
            st.subheader(t("demo.accounts"))
            st.write(t("demo.password", password=DEMO_PASSWORD))
            st.table({
                t("signin.username"): ["sekolah", "auditor", "pimpinan", "admin"],
                t("demo.who"): [t("demo.sekolah"), t("demo.auditor"), t("demo.pimpinan"), t("demo.admin")],
            })
