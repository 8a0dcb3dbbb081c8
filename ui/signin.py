"""Sign-in (in demo mode it lists the demo accounts; elsewhere neither them nor hints),
and choosing a new password."""

import streamlit as st

import storage
from auth import PasswordRejected, SignInFailed
from storage.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from storage.signin import local_sign_in

from .common import db, is_demo, page_setup, show_error, sign_in, t
from .oidc import belajar_id_step, oidc_configured


def sign_in_page() -> None:
    page_setup("signin.title")
    st.write(t("app.tagline"))
    reason = st.session_state.pop("signed_out_reason", None)
    if reason in ("idle", "revoked"):
        st.info(t(f"signin.{reason}"))

    if oidc_configured() and not belajar_id_step():
        return
    local = local_sign_in()
    form_box = st.container() if local else st.expander(t("signin.admin_only"))
    with form_box, st.form("masuk"):
        username = st.text_input(t("signin.username"), autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")

    if submitted:
        try:
            sign_in(username, password)
        except (SignInFailed, storage.DatabaseBusy) as err:
            show_error(err)
        else:
            # The page's place (?domain=…) survives the refresh that signed the user out.
            st.session_state["resume_query"] = st.query_params.to_dict()
            st.rerun()

    if is_demo():
        with st.container(border=True):
            st.subheader(t("demo.accounts"))
            st.write(t("demo.password", password=DEMO_PASSWORD))
            st.table({
                t("signin.username"): ["sekolah", "auditor", "pimpinan", "kadis.padang", "admin"],
                t("demo.who"): [t("demo.sekolah"), t("demo.auditor"), t("demo.pimpinan"), t("demo.kadis"),
                                t("demo.admin")],
            })
            st.write(t("demo.totp"))
            st.table({t("signin.username"): list(DEMO_TOTP_SECRETS),
                      t("demo.totp_secret_column"): list(DEMO_TOTP_SECRETS.values())})


def change_password_page() -> None:
    """Choose a new password; required after an admin set a one-time password."""
    page_setup("password.title")
    actor = st.session_state.get("actor")
    if actor is None:
        st.stop()
    if actor.must_change_password:
        st.info(t("password.one_time"), icon=":material/key:")
    with st.form("kata_sandi", clear_on_submit=True):
        current = st.text_input(t("password.current"), type="password", autocomplete="current-password")
        new = st.text_input(t("password.new"), type="password", autocomplete="new-password",
                            help=t("password.policy"))
        again = st.text_input(t("password.again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("password.submit"), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(t("password.mismatch"))
        return
    try:
        with db() as session:
            changed = storage.change_password(session, actor, current, new)
    except SignInFailed:
        st.error(t("password.wrong_current"))
    except PasswordRejected as err:
        st.error(t("password.rejected"))
        st.markdown(t(f"password.problem.{err.code}", **err.values))
    except storage.StorageError as err:
        show_error(err)
    else:
        st.session_state["actor"] = changed  # this session carries on; the account's others have ended
        st.session_state["password_changed"] = True
        st.rerun()
