"""A minimal Streamlit client over the app's own websocket protocol (the protobuf messages
that ship with streamlit), for benchmarks/load_test.py. It reads the elements a script run
sends, keeps each widget's id, kind, label, options and fragment, and sends reruns the way
the browser does: the changed widget states, and the fragment id for a fragment's widget.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

WIDGETS = {"text_input", "button", "radio", "selectbox", "checkbox", "text_area"}
DONE = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
        ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
        ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR}


class ScriptError(Exception):
    """The app showed an exception or an error box, or a run did not finish in time."""


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)
    fragment_id: str = ""
    disabled: bool = False
    form_submit: bool = False


@dataclass
class Run:
    """What one rerun drew (widgets by id, texts shown) and how long it took."""

    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page_script_hash
    seconds: float = 0.0


class Session:
    def __init__(self, url: str, cookie: str | None = None, timeout: float = 60.0):
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.headers = {"Cookie": cookie} if cookie else {}
        self.timeout = timeout
        self.page_hash = ""
        self.pages: dict[str, str] = {}
        self.widgets: dict[str, Widget] = {}  # everything drawn so far, latest first

    async def __aenter__(self) -> Session:
        self.ws = await connect(self.url, subprotocols=["streamlit"], additional_headers=self.headers,
                                max_size=2**26, open_timeout=self.timeout,
                                ping_interval=None)  # like a browser: the server pings, the client does not
        return self

    async def __aexit__(self, *_exc) -> None:
        await self.ws.close()

    async def rerun(self, states: list[WidgetState] = (), fragment_id: str = "",
                    page_hash: str | None = None) -> Run:
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = ""
        client.page_script_hash = self.page_hash if page_hash is None else page_hash
        if fragment_id:
            client.fragment_id = fragment_id
        client.widget_states.widgets.extend(states)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await self._read_until_done(started)
        self.pages.update(run.pages)
        return run

    async def _read_until_done(self, started: float) -> Run:
        run = Run()
        deadline = started + self.timeout
        while True:  # bounded by the deadline
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ScriptError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            except TimeoutError:
                raise ScriptError(f"no script_finished within {self.timeout:.0f} s") from None
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "page_info_changed" or kind == "navigation":
                if kind == "navigation":
                    run.pages.update({p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages})
                    self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "delta":
                self._read_delta(msg, run)
            elif kind == "script_finished" and msg.script_finished in DONE:
                run.seconds = time.perf_counter() - started
                self.widgets = {**self.widgets, **run.widgets}
                return run

    def _read_delta(self, msg: ForwardMsg, run: Run) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            proto = getattr(element, kind)
            run.widgets[proto.id] = Widget(
                proto.id, kind, proto.label, list(getattr(proto, "options", []) or []), delta.fragment_id,
                bool(getattr(proto, "disabled", False)), bool(getattr(proto, "is_form_submitter", False)))
        elif kind == "exception":
            run.errors.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert":
            run.texts.append(element.alert.body)
            if element.alert.format == element.alert.ERROR:
                run.errors.append(element.alert.body)
        elif kind == "markdown":
            run.texts.append(element.markdown.body)
        elif kind == "toast":
            run.texts.append(element.toast.body)

    def find(self, run: Run, kind: str, label: str | None = None, id_part: str | None = None) -> list[Widget]:
        return [w for w in run.widgets.values() if w.kind == kind and (label is None or w.label == label)
                and (id_part is None or id_part in w.id)]


def text_state(widget: Widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def trigger(widget: Widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


def choice(widget: Widget, label: str) -> WidgetState:
    """A radio or selectbox: the browser sends the shown (formatted) label of the option."""
    return WidgetState(id=widget.id, string_value=label)
