"""What every page shares: the database session, the signed-in actor, language, and page_setup()."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

import storage
from auth import Actor, SignInFailed, SignInThrottled, client_address, trusted_proxies
from scoring.loader import LoadError, Problem, load_glossary, render_problems
from scoring.models import Glossary

from .i18n import LANGS, translate

IDLE_MINUTES = 30
clock: Callable[[], float] = time.time  # the idle clock; tests move their own
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


# Where GitHub-flavoured Markdown turns bare text into a link (http(s)://, www., e-mail):
# it matches the text after escapes are resolved, so a backslash cannot stop it; an
# invisible word joiner inside the pattern does.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """User or file text made inert for Markdown: no links (bare URLs and e-mail addresses
    included), images, formatting, icons, LaTeX or headings, and on one line."""
    one_line = _AUTOLINK.sub(WORD_JOINER, re.sub(r"\s+", " ", str(text)))
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
    """The signed-in actor, or None; a session that may no longer act (idle, revoked) ends here."""
    ended = session_ended(st.session_state)
    if ended is None:
        return st.session_state["actor"]
    if ended != "signed_out":
        end_session(ended)
    return None


def session_ended(state) -> str | None:
    """Why this session may not read or write data ("signed_out", "idle" after IDLE_MINUTES,
    "revoked" by the database), or None when it may: the one check before every page run,
    widget callback and on-click download. A live session's activity is noted."""
    actor = state["actor"] if "actor" in state else None
    if actor is None:
        return "signed_out"
    now = clock()
    if now - (state["last_seen"] if "last_seen" in state else now) > IDLE_MINUTES * 60:
        return "idle"
    with db() as session:
        if not storage.session_is_live(session, actor):
            return "revoked"
    state["last_seen"] = now
    return None


def remote_address() -> str | None:
    """The client's address for sign-in throttling. Streamlit gives None for a loopback peer,
    which is a local proxy unless SIAGA_TRUSTED_PROXIES names it; only a trusted proxy's
    X-Forwarded-For is believed."""
    trusted = trusted_proxies(os.environ.get("SIAGA_TRUSTED_PROXIES"))
    peer = st.context.ip_address or "127.0.0.1"
    address = client_address(peer, st.context.headers.get("X-Forwarded-For"), trusted)
    return None if address == "127.0.0.1" else address


def sign_in(username: str, password: str) -> Actor:
    with db() as session:
        actor = storage.authenticate(session, username, password, remote_address())
    st.session_state["actor"] = actor
    st.session_state["last_seen"] = clock()
    st.session_state.pop("signed_out_reason", None)
    return actor


def end_session(reason: str | None = None) -> bool:
    """Forget this browser session's sign-in (the account's other sessions stand). A belajar.id
    sign-in also ends its OpenID Connect session (st.logout), so that it cannot sign in again by
    itself: then True, and the caller must not st.rerun(), since a new run drops st.logout's
    redirect from the queue when it has not reached the browser yet."""
    actor = st.session_state.get("actor")
    keep = {"lang": st.session_state.get("lang", "id")}
    st.session_state.clear()
    st.session_state.update(keep)
    if reason:
        st.session_state["signed_out_reason"] = reason
    if actor is not None and actor.via_oidc and st.user.get("is_logged_in"):
        st.logout()
        return True
    return False


def sign_out() -> bool:
    """Sign out: the account's session generation is raised, so its sessions in other tabs and
    on other devices end too, at their next step. True when the browser is sent to belajar.id's
    sign-out (see end_session)."""
    actor = st.session_state.get("actor")
    if actor is not None:
        try:
            with db() as session:
                storage.sign_out_everywhere(session, actor)
        except storage.AccessDenied:
            pass  # already ended elsewhere: nothing left to revoke
    return end_session()


def built_on_click(build: Callable[[], bytes | str]) -> Callable[[], bytes | str]:
    """`data` for st.download_button that is built when clicked. Streamlit runs it on another
    thread, outside any page run, so current_actor() would not be called: this makes the same
    check on this session's state first. An ended session gets no file (the next page run
    shows the sign-in page and why)."""
    ctx = get_script_run_ctx()
    state = ctx.session_state if ctx is not None else st.session_state

    def build_if_live() -> bytes | str:
        if session_ended(state) is not None:
            raise SessionEnded()
        return build()

    return build_if_live


class SessionEnded(Exception):
    """A file was asked for after the session ended (idle or revoked): none is built."""

    def __init__(self) -> None:
        super().__init__("The session has ended: sign in again to download this file.")


def is_demo() -> bool:
    if "demo" not in st.session_state:
        with db() as session:
            st.session_state["demo"] = storage.is_demo_database(session)
    return st.session_state["demo"]


LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LANGUAGE_WIDGETS = ("_lang", "_lang_main")


def language_switch(where, key: str = "_lang") -> None:
    """The language choice; it lives in "lang", not in the widget, whose state each page drops."""
    where.radio(t("common.language"), LANGS, key=key, index=LANGS.index(lang()), horizontal=True,
                format_func=LANGUAGE_NAMES.get, on_change=_keep_language, args=(key,))


def _keep_language(widget_key: str) -> None:
    st.session_state["lang"] = st.session_state[widget_key]
    for other in LANGUAGE_WIDGETS:  # the other switch on the page is drawn afresh with the new choice
        if other != widget_key:
            st.session_state.pop(other, None)


def _keep(name: str, widget_key: str, store: Callable[[str], None] | None = None) -> None:
    st.session_state[name] = st.session_state[widget_key]
    if store is not None:
        store(st.session_state[name])


def remembered_choice(label: str, options: list, name: str, format_func,
                      store: Callable[[str], None] | None = None) -> object:
    """A selectbox whose choice survives page changes (widget state does not); `store`
    also keeps a new choice beyond this session."""
    if name not in st.session_state or st.session_state[name] not in options:
        st.session_state[name] = options[0]
    labels = {o: format_func(o) for o in options}  # eager: AppTest formats after the run
    return st.selectbox(label, options, key=f"_{name}", index=options.index(st.session_state[name]),
                        placeholder=t("widget.choose"),
                        format_func=labels.get, on_change=_keep, args=(name, f"_{name}", store))


@dataclass(frozen=True)
class Page:
    actor: Actor | None
    lang: str


def page_setup(title_key: str | None = None) -> Page:
    """Called at the top of every page: language switch, demo banner, who is signed in, sign-out."""
    actor = st.session_state.get("actor")
    st.html(LAYOUT_CSS)
    with st.sidebar:
        language_switch(st)
        if actor is not None:
            st.caption(t("common.signed_in_as", name=plain(actor.display_name or actor.username),
                         role=t(f"role.{actor.role.value}")))
            leaving = st.button(t("common.sign_out"), icon=":material/logout:", width="stretch",
                                help=t("common.sign_out_help"))
            leaving |= st.button(t("common.sign_out_everywhere"), icon=":material/devices:", width="stretch",
                                 type="tertiary", help=t("common.sign_out_everywhere_help"))
            if leaving:
                if sign_out():
                    st.stop()  # let st.logout's redirect reach the browser; a rerun would drop it
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
    if isinstance(err, storage.DatabaseBusy):
        st.error(t("error.busy"), icon=":material/hourglass_disabled:")
    elif isinstance(err, storage.SessionRevoked):
        end_session("revoked")
        st.warning(t("error.session_ended"), icon=":material/logout:")
    elif isinstance(err, storage.AccessDenied):
        st.error(t("error.access_denied"), icon=":material/block:")
    elif isinstance(err, storage.StaleVersion):
        st.warning(t("error.stale"), icon=":material/sync_problem:")
    elif isinstance(err, storage.NotFound):
        st.info(t("error.not_found"))
    elif isinstance(err, SignInThrottled):
        st.error(t("signin.throttled", seconds=err.retry_after))
    elif isinstance(err, SignInFailed):
        st.error(t("signin.failed"))
    elif isinstance(err, storage.InvalidInput):
        st.error(t("error.invalid"))
        st.code(err.render(lang()), language=None)
    elif isinstance(err, storage.InvalidAnswers):
        st.error(t("error.invalid"))
        show_problems(err.problems)
    elif isinstance(err, storage.Incomplete | storage.WrongStatus):
        st.error(t("error.invalid"))
        st.code(str(err), language=None)
    else:
        raise err


def show_problems(problems: list[Problem], more: int = 0) -> None:
    """A file's problems in the page's language, as plain text (names and values come from
    the file), at most 50 of them and a count of the rest."""
    st.code(render_problems(problems, lang(), more), language=None)


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
