"""What every page shares: the database session, the signed-in actor, language, and page_setup()."""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import Session

import storage
from auth import Actor, SignInFailed
from scoring.loader import LoadError, load_glossary
from scoring.models import Glossary

from .i18n import LANGS, translate

IDLE_MINUTES = 30
QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"
# Static CSS (the narrow/wide rule); Streamlit wraps a .css file in <style> and adds no element.
LAYOUT_CSS = Path(__file__).resolve().parent / "layout.css"


@st.cache_resource
def _engine(url: str):
    # The only cached resource: one connection pool per process and database URL.
    return storage.make_engine(url)


@contextmanager
def db():
    with Session(_engine(storage.database_url())) as session:
        yield session


def lang() -> str:
    return st.session_state.get("lang", "id")


def t(key: str, **values) -> str:
    return translate(lang(), key, **values)


def plain(text: object) -> str:
    """User or file text made inert for Markdown: no links, images, formatting, icons,
    LaTeX or headings, and on one line."""
    one_line = re.sub(r"\s+", " ", str(text))
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~:$=])", r"\\\1", one_line)


def current_period(today: date | None = None) -> str:
    """SIAGA_PERIOD, else the database's own (the demo's), else the calendar semester:
    1 = January–June, 2 = July–December."""
    override = os.environ.get("SIAGA_PERIOD")
    if override:
        return override
    if "period" not in st.session_state:
        with db() as session:
            st.session_state["period"] = storage.system.configured_period(session) or ""
    if st.session_state["period"]:
        return st.session_state["period"]
    today = today or date.today()
    return f"{today.year}-{1 if today.month <= 6 else 2}"


def current_actor() -> Actor | None:
    """The signed-in actor, or None; a session idle for 30 minutes ends here."""
    actor = st.session_state.get("actor")
    if actor is None:
        return None
    now = time.time()
    if now - st.session_state.get("last_seen", now) > IDLE_MINUTES * 60:
        sign_out()
        st.session_state["signed_out_reason"] = "idle"
        return None
    st.session_state["last_seen"] = now
    return actor


def sign_in(username: str, password: str) -> Actor:
    with db() as session:
        actor = storage.authenticate(session, username, password)
    st.session_state["actor"] = actor
    st.session_state["last_seen"] = time.time()
    st.session_state.pop("signed_out_reason", None)
    return actor


def sign_out() -> None:
    keep = {"lang": st.session_state.get("lang", "id")}
    st.session_state.clear()
    st.session_state.update(keep)


def is_demo() -> bool:
    if "demo" not in st.session_state:
        with db() as session:
            st.session_state["demo"] = storage.is_demo_database(session)
    return st.session_state["demo"]


LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def _keep(name: str, widget_key: str) -> None:
    st.session_state[name] = st.session_state[widget_key]


def remembered_choice(label: str, options: list, name: str, format_func) -> object:
    """A selectbox whose choice survives page changes (widget state does not)."""
    if name not in st.session_state or st.session_state[name] not in options:
        st.session_state[name] = options[0]
    labels = {o: format_func(o) for o in options}  # eager: AppTest formats after the run
    return st.selectbox(label, options, key=f"_{name}", index=options.index(st.session_state[name]),
                        format_func=labels.get, on_change=_keep, args=(name, f"_{name}"))


@dataclass(frozen=True)
class Page:
    actor: Actor | None
    lang: str


def page_setup(title_key: str | None = None) -> Page:
    """Called at the top of every page: language switch, demo banner, who is signed in, sign-out."""
    actor = st.session_state.get("actor")
    st.html(LAYOUT_CSS)
    with st.sidebar:
        # The choice lives in "lang", not in the widget, whose state each page drops.
        st.radio(t("common.language"), LANGS, key="_lang", index=LANGS.index(lang()), horizontal=True,
                 format_func=LANGUAGE_NAMES.get, on_change=_keep, args=("lang", "_lang"))
        if actor is not None:
            st.caption(t("common.signed_in_as", name=plain(actor.display_name or actor.username),
                         role=t(f"role.{actor.role.value}")))
            if st.button(t("common.sign_out"), icon=":material/logout:", width="stretch"):
                sign_out()
                st.rerun()
    if is_demo():
        st.warning(t("demo.banner"), icon=":material/science:")
    if title_key:
        st.title(t(title_key))
    return Page(actor, lang())


def require_actor() -> Actor:
    actor = current_actor()
    if actor is None:  # the router shows sign-in; this guards a page run directly
        st.stop()
    return actor


def narrow_or_wide(key: str):
    """Two containers for one piece of the page: what a phone shows (narrow) and what a wider
    screen shows (wide); ui/layout.css hides the other. Use: `narrow, wide = narrow_or_wide("radar")`."""
    return st.container(key=f"narrow_{key}"), st.container(key=f"wide_{key}")


def show_error(err: Exception) -> None:
    """Storage and auth errors, told plainly; details stay in the server log."""
    if isinstance(err, storage.AccessDenied):
        st.error(t("error.access_denied"), icon=":material/block:")
    elif isinstance(err, storage.StaleVersion):
        st.warning(t("error.stale"), icon=":material/sync_problem:")
    elif isinstance(err, storage.NotFound):
        st.info(t("error.not_found"))
    elif isinstance(err, SignInFailed):
        st.error(t("signin.failed"))
    elif isinstance(err, storage.Incomplete | storage.InvalidAnswers | storage.WrongStatus | storage.InvalidInput):
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    else:
        raise err


def school_npsn(actor: Actor) -> str | None:
    """The school this page is about: ?npsn=…, else the operator's own (first) school.
    The data layer refuses any NPSN outside the actor's scope."""
    wanted = st.query_params.get("npsn") or st.session_state.get("npsn")
    if wanted:
        return str(wanted).strip().upper()
    return actor.school_npsns[0] if actor.school_npsns else None


@st.cache_data
def glossary() -> Glossary | None:
    path = QUESTIONNAIRES / "glossary.yaml"
    try:
        return load_glossary(path) if path.exists() else None
    except LoadError:
        return None
