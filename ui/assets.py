"""The app's own copy of vis-network, served by Streamlit's static file serving.

What it is: at start-up, the vis-network files that ship inside the pinned pyvis package are
copied into `static/vis/` (next to app.py), which Streamlit serves at `app/static/vis/`. A graph
on the page then loads the library from the app's own host (cached by the browser) instead of
carrying ~700 kB inline on every redraw. If the folder cannot be written, graphs fall back to
inline resources, which also never leave the app's host.
"""

from __future__ import annotations

import functools
import pathlib
import shutil

import pyvis

SOURCE = pathlib.Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
TARGET = pathlib.Path(__file__).resolve().parents[1] / "static" / "vis"
FILES = ("vis-network.min.js", "vis-network.css")
URL = "app/static/vis/"  # relative: resolves under the app's base path from any page


def ensure_static() -> str | None:
    """Copy the files if needed; return the URL folder to load them from, or None to inline."""
    try:
        TARGET.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            src, dst = SOURCE / name, TARGET / name
            if not dst.exists() or dst.stat().st_size != src.stat().st_size:
                shutil.copyfile(src, dst)
        return URL
    except OSError:
        return None


@functools.cache
def page_html() -> str:
    """The page's own CSS and script (ui/page.css, ui/history.js) as one HTML snippet, read once per process."""
    ui = pathlib.Path(__file__).parent
    return f"<style>{(ui / 'page.css').read_text()}</style><script>{(ui / 'history.js').read_text()}</script>"
