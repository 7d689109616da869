"""The server: app.py as Streamlit's `st.App`, with the start-up work done before the first visitor.

`streamlit run serve.py` (scripts/app.sh, deploy/start.sh, the image) serves app.py exactly as `streamlit run app.py`
would, and first runs `lifespan` once per process: it imports what every script run needs and computes what the
first pages show (`before_first_visitor`). The server answers nothing, its health check included, until
that is done, so a probe or the proxy sends a visitor only to a process that is ready. At shutdown it stops every
computation and ends the process with status 0 (see the lifespan).
"""

import asyncio
import contextlib
import os
import sys

import streamlit as st


def before_first_visitor() -> None:
    """Once per server process, before it answers anyone (the lifespan): import what every page needs, pay
    a first training's one-off cost, compute what the overview shows, then settle the process (`core.runtime`)."""
    import networkx  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import pyvis.network  # noqa: F401

    from core.babygpt import focus
    from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
    from core.babygpt.train import TrainConfig
    from core.model import GPTConfig
    from core.pages import overview
    from core.runtime import process
    from ui import cache, i18n, views

    process.first_training()
    seq, mc = parse_digits(ARTICLE_SEQUENCE, 2), GPTConfig()
    result = cache.trained(mc, TrainConfig(), seq.tokens)
    last = overview.snapshot_steps(result)[-1]  # the step the overview opens on
    counts = cache.counts(seq.tokens, seq.vocab, mc.block_size)
    _, unseen = cache.weighed_rules(overview.source(last), result.snapshots[last], seq.tokens, seq.vocab, mc.block_size)
    # The overview's graph as a visitor first sees it (the last step, T = 1), in each language: its page's HTML
    # (the scene, the player's frames, the template) is the first visit's largest piece of work (0.2 s).
    m = overview.overview(seq, mc, result, last, 1.0, unseen)
    player = views.Player("step", result, 1.0, last, walk=m.walk)
    chosen = focus.default(m.probs, counts, m.vocab, m.context)
    explain = views.explain_link(m.vocab, m.context)
    for lang in i18n.LANGS:
        views.player_page(m.key, m.probs, m.vocab, m.context, seq.itos, counts, chosen, player, explain, lang)
    i18n.use("en")  # the worker thread is the server's: leave it in the default language, as it came
    process.settle()


@contextlib.asynccontextmanager
async def lifespan(_app):
    from core.runtime import process
    from ui import cache
    from ui.router import no_pages_folder

    no_pages_folder()  # every visitor's run goes through app.py's router, the first ones at once included
    await asyncio.to_thread(before_first_visitor)  # off the event loop: the runtime is up meanwhile
    cache.start_pretraining()  # the long text GPT, in the background, only if it did not ship and no process stored it
    yield
    # Shutting down (a pod's SIGTERM, Ctrl-C): every computation stops at its next step and is waited for, so the
    # background training's turn is given up at once and nothing partial is stored (core.runtime.process.stop). uvicorn
    # then re-raises the signal it shut down for, and the process would end killed by it (status 143) with the
    # work already done: end here, with status 0, as `streamlit run app.py` does.
    await asyncio.to_thread(process.stop)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


app = st.App("app.py", lifespan=lifespan)
