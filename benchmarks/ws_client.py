"""A light load client: one Streamlit session over the app's websocket, with the package's own protobufs.

What it is: `open_page(url, page, query)` connects to `/_stcore/stream` (optionally from a chosen local address,
so one machine can play several visitors: 127.0.0.2, 127.0.0.3, ...), asks for one run of a page with its address
(`?k=4&seed=7` without the "?"), and reads the server's messages until the run ends. It returns how long that took,
how the run ended, and the text of every message, alert and error the page wrote, so a caller can compare numbers
with a lone run or look for a message. `Session` keeps one page open across runs: it opens the page from its
address, then changes its widgets (number inputs, text areas, checkboxes) the way a browser reports a change, and
waits for each run's end; the address it sends follows the controls bound to it, as a browser's does, and every run
carries the state of every control it changed so far. Behind nginx, `route` first fetches the page over HTTP as a
browser does and returns the sticky-session cookie (deploy/nginx.conf's `babygpt_route`), which the session then sends
with its websocket's handshake. When its connection is lost, `Session.reconnect` does what Streamlit's client does:
it waits (the client's backoff), asks the health endpoint, opens a new websocket offering the old session's id, and,
as the app's pages ask of the client (ui/reconnect.py), reruns the page with its address and its controls' states.
A session costs the client a few milliseconds of CPU: dozens fit on one core, unlike browser pages.

What it is not: a browser (no drawing, no scripts run, no component frames loaded; graphs and charts arrive as
data: `numbers` reads the arrows' probabilities out of the graph frame's page, nothing else of it).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

TEXT_ELEMENTS = ("markdown", "alert", "exception", "heading", "code")
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN  # a rerun follows: not the end
RUN_ENDS = (ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY, ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR)
ROUTE_COOKIE = "babygpt_route"  # deploy/nginx.conf: which app process a browser's requests go to
NO_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what Streamlit's client offers in the token's place when it has none
_TITLE = re.compile(r'"title": ("(?:[^"\\]|\\.)*")')


@dataclass
class Run:
    """One page run: seconds from the request to its end, how it ended, and the texts it showed (in order)."""

    seconds: float = 0.0
    status: str = "open"  # "finished", "exception" (an error element), "closed" (the server hung up) or "open"
    texts: list[str] = field(default_factory=list)
    shown: dict[tuple, str | None] = field(default_factory=dict)  # what each place of the page holds at the end
    frames: list[str] = field(default_factory=list)  # the pages of the component frames it drew (st.components html)
    first_progress: float | None = None  # seconds from the request to its first progress bar step (a training began)


def _text(element) -> str | None:
    kind = element.WhichOneof("type")
    if kind not in TEXT_ELEMENTS:
        return None
    value = getattr(element, kind)
    if kind == "exception":
        return f"{value.type}: {value.message}"
    return getattr(value, "body", None) or getattr(value, "text", None) or str(value)


def arrows(frame: str) -> list[str]:
    """The arrows' titles of a graph frame's page ('0 -> 1: P(1) = 0.12345 ...'), sorted as tests/e2e reads them."""
    titles = (json.loads(m) for m in _TITLE.findall(frame))
    return sorted(t for t in titles if " -> " in t and "P(" in t)


def numbers(run: Run) -> dict:
    """What a run's page shows at its end that a lone run's must show alike: every text's numbers and every arrow's
    probability (texts that were replaced, such as a notice of the queue, are not counted)."""
    shown = [t for t in run.shown.values() if t]
    return {
        "texts": [re.findall(r"\d[\d,.]*", t) for t in shown if re.search(r"\d", t)],
        "arrows": [a for f in run.frames for a in arrows(f)],
    }


async def get(
    base: str, path: str, local: str | None = None, cookie: str | None = None, timeout: float = 60
) -> tuple[int, list[str]]:
    """GET `base` + `path` from `local` (with `cookie`): the status and the response's header lines."""
    parts = urllib.parse.urlsplit(base)
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(parts.hostname, parts.port, local_addr=(local, 0) if local else None), timeout
    )
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}Connection: close\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # the body, to its end
    finally:
        writer.close()
    lines = head.decode("latin-1").split("\r\n")
    return int(lines[0].split()[1]), lines[1:]


async def route(base: str, path: str, local: str | None = None, timeout: float = 60) -> str | None:
    """GET `base` + `path` (the page's address) from `local` as a browser's first request does; the sticky-session
    cookie nginx hands out ("babygpt_route=..."), or None when nothing sets one (a plain server)."""
    _, head = await get(base, path, local, timeout=timeout)
    for line in head:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie" and value.strip().startswith(ROUTE_COOKIE + "="):
            return value.strip().split(";", 1)[0]
    return None


class Session:
    """One visitor's page over one websocket, kept open across runs (`async with Session(url) as s:`)."""

    def __init__(self, url: str, local: str | None = None, cookie: str | None = None):
        self.url, self.local, self.cookie = url, local, cookie
        self.query = ""  # the address the page shows now (the server keeps it in sync with the widgets)
        self.page_hash = ""
        self.session_id = ""  # the server's id of this session (offered again on a reconnection)
        self.widgets: dict[str, object] = {}  # widget key -> its element (the last one drawn)
        self.states: dict[str, object] = {}  # widget id -> the state this visitor gave it (sent with every run)
        self._ws = None

    async def __aenter__(self) -> Session:
        await self._connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._connection.__aexit__(*exc)

    async def _connect(self, timeout: float = 60) -> None:
        extra = {"local_addr": (self.local, 0)} if self.local else {}
        headers = {"Cookie": self.cookie} if self.cookie else None
        offer = ["streamlit"] + ([NO_TOKEN, self.session_id] if self.session_id else [])  # as Streamlit's client does
        self._connection = connect(
            self.url, subprotocols=offer, max_size=2**26, open_timeout=timeout, additional_headers=headers, **extra
        )
        self._ws = await self._connection.__aenter__()

    async def closed(self) -> None:
        """Return once the server (or the proxy) has closed this session's websocket."""
        await self._ws.wait_closed()

    async def reconnect(self, base: str, timeout: float = 60) -> int:
        """After the websocket closed, reconnect as Streamlit's client does: wait its backoff (250-500 ms first, then
        up to 4 s), ask `base`'s health endpoint with the route cookie, open a websocket offering the old session's id;
        again from the wait on any failure. Returns the attempts it took (the page's rerun is `rerun`)."""
        await self._connection.__aexit__(None, None, None)
        deadline = time.monotonic() + timeout
        for attempt in range(1, 10_000):
            await asyncio.sleep(reconnect_delay(attempt))
            try:
                status, _ = await get(base, "/_stcore/health", self.local, self.cookie, timeout=5)
                if status == 200:
                    await self._connect(timeout=5)
                    return attempt
            except (TimeoutError, OSError, WebSocketException) as e:  # refused, reset, a handshake refused
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no connection after {attempt} attempts: {e}") from e
            if time.monotonic() > deadline:
                raise TimeoutError(f"no healthy server after {attempt} attempts")
        raise TimeoutError("no connection")

    async def rerun(self, run: Run | None = None) -> Run:
        """Rerun the page with its address and its controls' states (a reconnected browser's first message)."""
        return await self.change({}, run)

    async def open(self, page: str, query: str, run: Run | None = None) -> Run:
        """Open `page` at its address `query` (a browser's first run); fills and returns `run`."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        self.query = query
        return await self._run(msg, run if run is not None else Run())

    async def change(self, values: dict, run: Run | None = None) -> Run:
        """Set widgets by their keys ({"seed": 101, "seq": "0110"}) in one rerun, as a browser reports a change."""
        msg = BackMsg()
        msg.rerun_script.page_script_hash = self.page_hash
        for key, value in values.items():
            element = self.widgets[key]
            kind = element.WhichOneof("type")
            widget = getattr(element, kind)
            state = WidgetState(id=widget.id)
            self.states[widget.id] = state
            if getattr(widget, "query_param_key", ""):  # the page's address follows the control, as in a browser
                query = dict(urllib.parse.parse_qsl(self.query, keep_blank_values=True))
                query[widget.query_param_key] = str(value)
                self.query = urllib.parse.urlencode(query)
            if kind == "number_input":
                if widget.data_type == widget.DataType.INT:
                    state.int_value = int(value)
                else:
                    state.double_value = float(value)
            elif kind in ("text_area", "text_input"):
                state.string_value = str(value)
            elif kind == "checkbox":
                state.bool_value = bool(value)
            elif kind == "slider":
                state.double_array_value.data.extend(float(v) for v in (value if isinstance(value, tuple | list) else [value]))
            elif kind in ("radio", "selectbox"):
                state.string_value = str(value)  # the option as the control shows it
            else:
                raise NotImplementedError(f"changing a {kind} ({key})")
        msg.rerun_script.query_string = self.query
        msg.rerun_script.widget_states.widgets.extend(self.states.values())
        return await self._run(msg, run if run is not None else Run())

    async def _run(self, msg: BackMsg, run: Run) -> Run:
        t0 = time.monotonic()
        await self._ws.send(msg.SerializeToString())
        try:
            async for data in self._ws:
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    self._element(fm.delta.new_element, run, t0, tuple(fm.metadata.delta_path))
                elif kind == "page_info_changed":
                    self.query = fm.page_info_changed.query_string
                elif kind == "navigation":
                    self.page_hash = fm.navigation.page_script_hash
                elif kind == "new_session":
                    self.session_id = fm.new_session.initialize.session_id
                elif kind == "script_finished" and fm.script_finished in RUN_ENDS:
                    run.seconds = time.monotonic() - t0
                    if fm.script_finished != RUN_ENDS[0]:
                        run.status = "exception"
                    if run.status == "open":
                        run.status = "finished"
                    return run
        finally:
            run.seconds = run.seconds or time.monotonic() - t0
        run.status = "closed" if run.status == "open" else run.status
        return run

    def _element(self, element, run: Run, t0: float, path: tuple) -> None:
        kind = element.WhichOneof("type")
        text = _text(element)
        run.shown[path] = text  # a later element in the same place replaces it (a waiting notice, a progress bar)
        if text is not None:
            run.texts.append(text)
            if kind == "exception":
                run.status = "exception"
        elif kind == "iframe" and element.iframe.srcdoc:
            run.frames.append(element.iframe.srcdoc)
        elif kind == "progress" and run.first_progress is None:
            run.first_progress = time.monotonic() - t0
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
            self.widgets[widget_id.split("-", 2)[2]] = element


def reconnect_delay(attempt: int) -> float:
    """Seconds Streamlit's client waits before its attempt-th try to reconnect (its nextReconnectDelayMs): a random
    wait in [250, 500) ms first, then in [half, all) of min(4 s, 0.5 s * 2 ** (attempt - 1))."""
    most = min(4.0, 0.5 * 2 ** (attempt - 1))
    least = 0.25 if attempt == 1 else most / 2
    return least + random.random() * (most - least)


async def open_page(
    url: str, page: str, query: str, local: str | None = None, run: Run | None = None, cookie: str | None = None
) -> Run:
    """Run `page` once with `query` over the websocket at `url` (ws://host:port/_stcore/stream); fills and returns
    `run` (pass one in to read what arrived so far if the caller cancels the task)."""
    async with Session(url, local, cookie) as session:
        return await session.open(page, query, run)


async def many(url: str, requests: list[tuple[str, str, str | None]]) -> list[Run]:
    """Every (page, query, local address) at once, each in its own session."""
    return list(await asyncio.gather(*(open_page(url, page, query, local) for page, query, local in requests)))


def run(coroutine):
    """Run a coroutine to its end from synchronous code, on a thread of its own (so it works beside an event loop
    the caller's thread already runs, such as a browser driver's)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
