"""Sign-in with belajar.id through st.login (OpenID Connect, configured under [auth] in
.streamlit/secrets.toml). Every check that decides who may enter is in storage.oidc."""

from __future__ import annotations

import streamlit as st

import storage

from .common import clock, db, plain, t


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file at all: no belajar.id button)
        return False


def belajar_id_step() -> bool:
    """The belajar.id part of the sign-in page. True when the password form may follow;
    False when this page is taken by a refusal."""
    refused = st.session_state.get("oidc_refused")
    if refused is not None:
        _refusal(*refused)
        return False
    if st.user.is_logged_in and "actor" not in st.session_state:
        try:
            with db() as session:
                actor = storage.oidc_sign_in(session, dict(st.user.to_dict()))
        except storage.OidcRefused as err:
            st.session_state["oidc_refused"] = (err.reason, err.email)
            st.rerun()
        except storage.DatabaseBusy:
            st.error(t("error.busy"))
            return False
        st.session_state["actor"] = actor
        st.session_state["last_seen"] = clock()
        st.session_state["resume_query"] = st.query_params.to_dict()
        st.rerun()
    if st.button(t("oidc.button"), type="primary", icon=":material/school:"):
        st.login()
    st.caption(t("oidc.or_password"))
    return True


def _refusal(reason: str, email: str | None) -> None:
    st.error(t(f"oidc.refused.{reason}", email=plain(email or ""), domains=", ".join(storage.allowed_domains())),
             icon=":material/block:")
    st.write(t("oidc.whom_to_ask"))
    if st.button(t("oidc.sign_out"), type="primary"):
        st.session_state.pop("oidc_refused", None)
        st.logout()
