"""The second sign-in step (TOTP): the code, or enrolment with a QR code, the secret and
10 recovery codes. The router shows this page, and nothing else, until the step is done."""

from __future__ import annotations

import io

import segno
import streamlit as st

import storage
from auth import SignInFailed
from auth import totp as otp

from .common import db, is_demo, page_setup, show_error, t


def owes_second_step(state) -> bool:
    actor = state.get("actor")
    return actor is not None and (actor.awaits_second_factor or "new_recovery_codes" in state
                                  or state.get("enrol_totp", False))  # fmt: skip


def second_factor_page() -> None:
    page_setup("totp.title")
    actor = st.session_state["actor"]
    if "new_recovery_codes" in st.session_state:
        _show_recovery_codes()
        return
    try:
        with db() as session:
            status = storage.second_factor_status(session, actor)
    except storage.StorageError as err:
        show_error(err)
        return
    if status == "enrolled" and actor.awaits_second_factor:
        _ask_code(actor)
    else:
        _enrol(actor, required=actor.awaits_second_factor)


def _ask_code(actor) -> None:
    st.write(t("totp.ask"))
    with st.form("totp_code", clear_on_submit=True):
        code = st.text_input(t("totp.code"), autocomplete="one-time-code", max_chars=20, help=t("totp.code_help"))
        submitted = st.form_submit_button(t("totp.submit"), type="primary")
    passed = _attempt(storage.verify_code, actor, code) if submitted else None
    if passed is not None:
        st.session_state["actor"] = passed
        st.rerun()
    _demo_hint(actor.username)


def _enrol(actor, required: bool) -> None:
    st.info(t("totp.required" if required else "totp.optional"), icon=":material/security:")
    secret = st.session_state.setdefault("totp_pending_secret", otp.new_secret())
    uri = otp.provisioning_uri(secret, actor.username)
    png = io.BytesIO()
    segno.make(uri, error="m").save(png, kind="png", scale=6, border=2)
    left, right = st.columns([1, 2])
    left.image(png.getvalue(), caption=t("totp.qr_caption"), width=240)
    with right:
        st.write(t("totp.enrol_steps"))
        st.caption(t("totp.secret_label"))
        st.code(" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), language=None)
        with st.form("totp_enrol", clear_on_submit=True):
            code = st.text_input(t("totp.code"), autocomplete="one-time-code", max_chars=10)
            submitted = st.form_submit_button(t("totp.enrol_submit"), type="primary")
        if not required and st.button(t("totp.cancel")):
            st.session_state.pop("enrol_totp", None)
            st.session_state.pop("totp_pending_secret", None)
            st.rerun()
    done = _attempt(storage.enrol, actor, secret, code) if submitted else None
    if done is not None:
        st.session_state["actor"], st.session_state["new_recovery_codes"] = done
        st.session_state.pop("totp_pending_secret", None)
        st.session_state.pop("enrol_totp", None)
        st.rerun()


def _attempt(call, *args):
    """`call(session, *args)`'s result, or None after telling the user what went wrong."""
    try:
        with db() as session:
            return call(session, *args)
    except SignInFailed:
        st.error(t("totp.wrong"))
    except otp.SecretKeyMissing:
        st.error(t("totp.no_key"), icon=":material/key_off:")
    except storage.StorageError as err:
        show_error(err)
    return None


def _show_recovery_codes() -> None:
    st.success(t("totp.enrolled"), icon=":material/verified_user:")
    st.write(t("totp.recovery_intro"))
    st.code("\n".join(st.session_state["new_recovery_codes"]), language=None)
    if st.button(t("totp.recovery_done"), type="primary"):
        st.session_state.pop("new_recovery_codes", None)
        st.rerun()


def _demo_hint(username: str) -> None:
    if not is_demo():
        return
    from storage.demo import DEMO_TOTP_SECRETS

    secret = DEMO_TOTP_SECRETS.get(username)
    if secret:
        with st.container(border=True):
            st.caption(t("demo.totp_secret", username=username))
            st.code(secret, language=None)
            st.caption(t("demo.totp_code", code=otp.current_code(secret)))
