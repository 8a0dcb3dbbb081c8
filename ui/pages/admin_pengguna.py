"""Pengguna (admin): accounts and their scopes. Create, deactivate or reactivate, unlock,
and reset a password to a one-time value shown once."""

import secrets

import streamlit as st

import storage
from auth import ROLES, PasswordRejected
from storage.models import JENJANG
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

def scope_text(u: storage.UserInfo) -> str:
    places = [*u.school_npsns, *(f"{c} {names.get(c, '')}" for c in u.province_codes),
              *(kabupaten.get(c, c) for c in u.kabupaten_codes)]  # fmt: skip
    where = t("users.national") if u.national else ", ".join(places)
    return f"{where} · {', '.join(u.jenjang)}" if u.jenjang else where


def scope_inputs(key: str, user: storage.UserInfo | None = None) -> dict:
    """The province, kabupaten/kota and jenjang pickers of a scope, as set_scope's arguments."""
    left, right = st.columns(2)
    chosen = left.multiselect(t("users.provinces"), list(names), default=user.province_codes if user else None,
                              format_func=labelled({c: f"{c} {n}" for c, n in names.items()}),
                              key=f"{key}.provinces", placeholder=t("widget.choose_many"))  # fmt: skip
    kab = right.multiselect(t("users.kabupaten"), list(kabupaten), default=user.kabupaten_codes if user else None,
                            format_func=labelled(kabupaten), key=f"{key}.kabupaten",
                            placeholder=t("widget.choose_many"))  # fmt: skip
    jenjang = st.multiselect(t("users.jenjang"), list(JENJANG), default=user.jenjang if user else None,
                             help=t("users.jenjang_help"), key=f"{key}.jenjang",
                             placeholder=t("widget.choose_many"))  # fmt: skip
    return {"province_codes": tuple(chosen), "kabupaten_codes": tuple(kab), "jenjang": tuple(jenjang)}


if saved := st.session_state.pop("pengguna.scope_saved", None):
    st.success(t("users.scope_saved", username=plain(saved)))

with db() as session:
    users = storage.list_users(session, actor)
    provinces = storage.list_provinces(session, actor)
    kabupaten = dict(storage.list_kabupaten(session, actor))
names = dict(provinces)
st.dataframe([{t("users.col.username"): u.username, t("users.col.name"): u.display_name,
               t("users.col.role"): t(f"role.{u.role.value}"),
               t("users.col.active"): t("users.yes") if u.active else t("users.no"),
               t("users.col.locked"): u.locked_until.strftime("%Y-%m-%d %H:%M") if u.locked_until else "",
               t("users.col.scope"): scope_text(u),
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
    scope = scope_inputs("pengguna")
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
                                       national=national, email=email or None, **scope)  # fmt: skip
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

with st.expander(t("users.scope_edit"), icon=":material/map:"):
    key = f"pengguna.scope.{user.username}"  # per account: another account's picks never carry over
    with st.form(key):
        new_role = st.selectbox(t("users.col.role"), ROLES, index=ROLES.index(user.role.value),
                                format_func=labelled({r: t(f"role.{r}") for r in ROLES}), key=f"{key}.role",
                                placeholder=t("widget.choose"))
        new_national = st.checkbox(t("users.national_check"), value=user.national, key=f"{key}.national")
        new_scope = scope_inputs(key, user)
        new_schools = st.text_input(t("users.schools"), value=", ".join(user.school_npsns), key=f"{key}.schools",
                                    placeholder=t("widget.schools"))
        save_scope = st.form_submit_button(t("users.scope_button"))
    if save_scope:
        npsns = tuple(n.strip().upper() for n in new_schools.replace(";", ",").split(",") if n.strip())
        try:
            with db() as session:
                storage.set_scope(session, actor, user.username, new_role, school_npsns=npsns, national=new_national,
                                  **new_scope)  # fmt: skip
        except storage.StorageError as err:
            show_error(err)
        else:
            st.session_state["pengguna.scope_saved"] = user.username
            st.rerun()

with st.form("pengguna.email_form"):
    new_email = st.text_input(t("users.link_email"), value=user.email or "", max_chars=254,
                              placeholder=t("widget.email"))
    if st.form_submit_button(t("users.link_submit")):
        try:
            with db() as session:
                storage.link_email(session, actor, user.username, new_email)
        except storage.StorageError as err:
            show_error(err)
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
