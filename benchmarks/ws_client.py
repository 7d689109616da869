"""A light load client: one Streamlit session over the app's websocket, with the package's own protobufs.

What it is: `open_page(url, page, query)` connects to `/_stcore/stream` (optionally from a chosen local address,
so one machine can play several visitors: 127.0.0.2, 127.0.0.3, ...), asks for one run of a page with its address
(`?k=4&seed=7` without the "?"), and reads the server's messages until the run ends. It returns how long that took,
how the run ended, and the text of every message, alert and error the page wrote, so a caller can compare numbers
with a lone run or look for a message. A session costs the client a few milliseconds of CPU: dozens fit on one
core, unlike browser pages.

What it is not: a browser (no drawing, no widgets clicked; graphs and charts arrive as data and are not read).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

TEXT_ELEMENTS = ("markdown", "alert", "exception", "heading", "code")


@dataclass
class Run:
    """One page run: seconds from the request to its end, how it ended, and the texts it showed (in order)."""

    seconds: float = 0.0
    status: str = "open"  # "finished", "exception" (an error element), "closed" (the server hung up) or "open"
    texts: list[str] = field(default_factory=list)


def _text(element) -> str | None:
    kind = element.WhichOneof("type")
    if kind not in TEXT_ELEMENTS:
        return None
    value = getattr(element, kind)
    if kind == "exception":
        return f"{value.type}: {value.message}"
    return getattr(value, "body", None) or getattr(value, "text", None) or str(value)


async def open_page(url: str, page: str, query: str, local: str | None = None, run: Run | None = None) -> Run:
    """Run `page` once with `query` over the websocket at `url` (ws://host:port/_stcore/stream); fills and returns
    `run` (pass one in to read what arrived so far if the caller cancels the task)."""
    run = run if run is not None else Run()
    extra = {"local_addr": (local, 0)} if local else {}
    async with connect(url, subprotocols=["streamlit"], max_size=2**26, open_timeout=60, **extra) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        t0 = time.monotonic()
        await ws.send(msg.SerializeToString())
        try:
            async for data in ws:
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    text = _text(fm.delta.new_element)
                    if text is not None:
                        run.texts.append(text)
                        if fm.delta.new_element.WhichOneof("type") == "exception":
                            run.status = "exception"
                elif kind == "script_finished":
                    run.seconds = time.monotonic() - t0
                    if run.status == "open":
                        run.status = "finished"
                    return run
        finally:
            run.seconds = run.seconds or time.monotonic() - t0
    run.status = "closed" if run.status == "open" else run.status
    return run


async def many(url: str, requests: list[tuple[str, str, str | None]]) -> list[Run]:
    """Every (page, query, local address) at once, each in its own session."""
    return list(await asyncio.gather(*(open_page(url, page, query, local) for page, query, local in requests)))


def run(coroutine):
    """Run a coroutine to its end from synchronous code, on a thread of its own (so it works beside an event loop
    the caller's thread already runs, such as a browser driver's)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
