"""Pengguna (admin): accounts and their scopes. Create, deactivate or reactivate, unlock,
and reset a password to a one-time value shown once."""

import secrets

import streamlit as st

import storage
from auth import ROLES, PasswordRejected
from ui.common import db, page_setup, plain, show_error, t
from ui.views import labelled, require_role

page = page_setup("nav.admin_pengguna")
actor = require_role("admin")


def one_time_password() -> str:
    # 16 URL-safe characters from the OS's generator: meets the 12-character policy.
    return secrets.token_urlsafe(12)


def hand_over(username: str, password: str, reset: bool) -> None:
    """Keep the password for the next run only, which shows it once above the refreshed list."""
    st.session_state["pengguna.once"] = (username, password, reset)
    st.rerun()


if once := st.session_state.pop("pengguna.once", None):
    st.success(t("users.password_once", username=plain(once[0])), icon=":material/key:")
    st.code(once[1], language=None)
    if once[2]:
        st.caption(t("users.reset_hint"))

with db() as session:
    users = storage.list_users(session, actor)
    provinces = storage.list_provinces(session, actor)
names = dict(provinces)
st.dataframe([{t("users.col.username"): u.username, t("users.col.name"): u.display_name,
               t("users.col.role"): t(f"role.{u.role.value}"),
               t("users.col.active"): t("users.yes") if u.active else t("users.no"),
               t("users.col.locked"): u.locked_until.strftime("%Y-%m-%d %H:%M") if u.locked_until else "",
               t("users.col.scope"): t("users.national") if u.national else ", ".join(
                   [*u.school_npsns, *(f"{c} {names.get(c, '')}" for c in u.province_codes)]),
               t("users.email"): u.email or "",
               t("users.totp"): t("users.yes") if u.totp_enrolled else t("users.no"),
               t("users.col.last_sign_in"): u.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if u.last_sign_in_at else ""}
              for u in users], hide_index=True, width="stretch", key="pengguna.tabel")  # fmt: skip

st.subheader(t("users.create"))
with st.form("pengguna.baru", clear_on_submit=False):
    left, right = st.columns(2)
    username = left.text_input(t("users.col.username"), help=t("users.username_help"), key="pengguna.username",
                               placeholder=t("widget.username"))
    display_name = right.text_input(t("users.col.name"), key="pengguna.display_name", placeholder=t("widget.name"))
    role = left.selectbox(t("users.col.role"), ROLES, format_func=labelled({r: t(f"role.{r}") for r in ROLES}),
                          key="pengguna.role", placeholder=t("widget.choose"))
    national = right.checkbox(t("users.national_check"), key="pengguna.national")
    chosen = st.multiselect(t("users.provinces"), list(names),
                            format_func=labelled({c: f"{c} {n}" for c, n in names.items()}), key="pengguna.provinces",
                            placeholder=t("widget.choose_many"))
    schools = st.text_input(t("users.schools"), help=t("users.schools_help"), key="pengguna.schools",
                            placeholder=t("widget.schools"))
    email = st.text_input(t("users.email"), key="pengguna.email", max_chars=254, placeholder=t("widget.email"))
    create = st.form_submit_button(t("users.create_button"), type="primary")
if create:
    password = one_time_password()
    npsns = tuple(n.strip().upper() for n in schools.replace(";", ",").split(",") if n.strip())
    try:
        with db() as session:
            info = storage.create_user(session, actor, username, display_name, role, password, school_npsns=npsns,
                                       province_codes=tuple(chosen), national=national,
                                       email=email or None)  # fmt: skip
    except PasswordRejected as err:  # a generated one-time password: only if the policy changes
        st.error(t("password.rejected"))
        st.markdown(t(f"password.problem.{err.code}", **err.values))
    except storage.StorageError as err:
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    else:
        hand_over(info.username, password, reset=False)

st.subheader(t("users.manage"))
pick = st.selectbox(t("users.pick"), [u.username for u in users], key="pengguna.pick", placeholder=t("widget.choose"))
user = next((u for u in users if u.username == pick), None)
if user is None:
    st.stop()
cols = st.columns(4)
try:
    if cols[0].button(t("users.deactivate") if user.active else t("users.activate"), key="pengguna.active"):
        with db() as session:
            storage.set_active(session, actor, user.username, not user.active)
        st.rerun()
    if cols[1].button(t("users.unlock"), key="pengguna.unlock", disabled=user.locked_until is None):
        with db() as session:
            storage.unlock_user(session, actor, user.username)
        st.rerun()
    if cols[2].button(t("users.reset"), key="pengguna.reset"):
        password = one_time_password()
        with db() as session:
            storage.reset_password(session, actor, user.username, password)
        hand_over(user.username, password, reset=True)
    if cols[3].button(t("totp.reset"), key="pengguna.reset_totp"):
        with db() as session:
            storage.reset_second_factor(session, actor, user.username)
        st.success(t("totp.reset_done", username=plain(user.username)))
except storage.StorageError as err:
    show_error(err)

with st.form("pengguna.email_form"):
    new_email = st.text_input(t("users.link_email"), value=user.email or "", max_chars=254,
                              placeholder=t("widget.email"))
    if st.form_submit_button(t("users.link_submit")):
        try:
            with db() as session:
                storage.link_email(session, actor, user.username, new_email)
        except storage.StorageError as err:
            st.error(t("error.invalid"))
            st.code(str(err), language=None)
        else:
            st.success(t("users.linked", username=plain(user.username)))

st.subheader(t("users.bulk_title"))
st.caption(t("users.bulk_help"))
upload = st.file_uploader("CSV", type=["csv"], key="pengguna.bulk")
if upload is not None and st.button(t("users.link_submit"), key="pengguna.bulk_go"):
    try:
        with db() as session:
            counts = storage.link_emails_csv(session, actor, upload.getvalue(), upload.name)
    except storage.StorageError as err:
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    else:
        st.success(t("users.bulk_done", **counts))
