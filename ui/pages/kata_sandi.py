"""Kata sandi: any signed-in user chooses a new password, and may turn on two-step verification."""

import streamlit as st

from ui.common import t
from ui.signin import change_password_page

change_password_page()
actor = st.session_state.get("actor")
if actor is not None and not actor.via_oidc:
    st.subheader(t("totp.title"))
    if actor.second_factor:
        st.write(t("totp.is_on"))
    elif st.button(t("totp.setup"), icon=":material/security:"):
        st.session_state["enrol_totp"] = True  # the router shows enrolment next
        st.rerun()
