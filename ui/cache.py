"""Cached calls into `core` for the pages: bounded caches, results never mutated by a page.

What it is: the only module that decides what is cached and for how long. Every cache has
`max_entries` (and a TTL), so a public page that sees many configurations keeps its memory
bounded. Frozen configs and token tuples are the cache keys.

Every request is checked against the caps once, before any work starts: a training here
(`core.babygpt.train.check_training`), a comparison by its own entry point in `core.babygpt.compare`. A
refused request raises `LimitError` / `SequenceError` / `ConfigError` for the page to show.

What it is not: a place for page logic; pages call these functions and render.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import gc
import io
import os
import pathlib
import sys
import tempfile
import threading
import time
from collections.abc import Callable

import numpy as np
import streamlit as st
import torch

from core import stopping
from core.arith.statespace import StateSpace, state_space
from core.babygpt.chain import (
    empirical_counts,
    seen_in,
    stationary_distribution,
    transition_graph,
    variable_length_graph,
    variable_length_table,
)
from core.babygpt.compare import (
    ChainRow,
    EqualBitsRow,
    SideBySide,
    context_sweep,
    equal_bits,
    seed_spread,
    side_by_side,
)
from core.babygpt.data import Sequence
from core.babygpt.focus import FULL_GRAPH_LIMIT, Focus
from core.babygpt.mixing import AtTemperature, at_temperature, temperature_sweep, tempered
from core.babygpt.states import all_states, label
from core.babygpt.train import (
    Progress,
    TrainConfig,
    TrainResult,
    check_training,
    result_from_bytes,
    result_to_bytes,
    train,
)
from core.model import GPTConfig
from core.store import ResultStore, store_from_env, train_key
from core.text.analysis import Focus as TextFocus
from core.text.analysis import TextSweep, analyse, focused_graph
from core.text.corpus import builtin_text
from core.text.parallel import BpeCompare, Parallel, bpe_compare
from core.text.parallel import compare as compare_parallel
from core.text.textgpt import TextTrainConfig
from core.text.versus import GptVsNgram, gpt_vs_ngram
from core.text.vocab import VocabSweep, vocab_sweep_with_tokenizers
from core.turns import WAIT_SECONDS, Turns
from ui import i18n, waiting
from ui.assets import ensure_static
from ui.graph import graph_html

TTL = "2h"
SWEEP_STATE_LIMIT = 4_096  # chains past this get no temperature curve (each point is a long run)


@functools.cache
def asset_base() -> str | None:
    """Where graphs load vis-network from: the app's static folder, written on the first graph of a process."""
    return ensure_static()


@functools.cache
def store() -> ResultStore | None:
    """Trained models on disk, shared by every process (None: no writable folder), opened on first use."""
    return store_from_env()


@functools.cache
def settle_process() -> None:
    """Once per server process, from app.py: the objects of everything imported so far (torch, pandas, plotly, ...)
    leave the garbage collector's reach, so its full collections, which pause every session, only walk what was
    made since (measured with benchmarks/load_test.py). Not at import: a test or the CLI importing this module
    keeps its collector as it is."""
    gc.freeze()


WARM_UP_NICE = 19  # the warm-up thread's niceness: it runs when nothing else wants the core
WARM_UP_QUIET = 1.0  # seconds with no script run before the warm-up starts (it holds the interpreter ~2 s)
WARM_UP_LATEST = 60.0  # ... but it starts at the latest this long after the first page, quiet or not
_runs = {"active": 0, "ended": 0.0}  # script runs in progress in this process, and when the last one ended
_runs_lock = threading.Lock()


@contextlib.contextmanager
def script_run():
    """Around each script run (app.py): the warm-up waits for a moment with none."""
    with _runs_lock:
        _runs["active"] += 1
    try:
        yield
    finally:
        with _runs_lock:
            _runs["active"] -= 1
            _runs["ended"] = time.monotonic()


def _quiet() -> bool:
    with _runs_lock:
        return _runs["active"] == 0 and time.monotonic() - _runs["ended"] >= WARM_UP_QUIET


_background: list[threading.Thread] = []  # this process's own threads that compute: stopped and joined at exit
STOP_WAIT_SECONDS = 10  # at exit, how long a training may take to reach its next step (one step: well under 1 s)


@functools.cache
def _stop_at_exit() -> None:
    """Once per process: at exit, stop every computation at its next step and wait for it and the background threads.

    A thread still inside torch when the interpreter ends aborts the process ("terminate called without an
    active exception"); stopped first, it ends on its own, releases its lock and stores nothing partial.
    """
    atexit.register(stop_background)


def stop_background() -> None:
    stopping.stop_and_wait(STOP_WAIT_SECONDS)  # every training, a session's too (their threads are daemons)
    for thread in _background:
        thread.join(STOP_WAIT_SECONDS)


@functools.cache
def before_first_visitor() -> None:
    """Once per server process, before it answers anyone (serve.py's lifespan): import what every script run needs,
    pay a first training's one-off cost (torch's optimizer imports its compiler stack on first use), compute what
    the overview shows (the article's model, its counts and why its never-seen states get their arrows), then take
    everything imported out of the garbage collector's reach (`settle_process`)."""
    import networkx  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import pyvis.network  # noqa: F401

    from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits

    train(GPTConfig(), TrainConfig(steps=1), (0, 1) * 4)
    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    result = trained(GPTConfig(), TrainConfig(), seq.tokens)
    last = max(result.snapshots)
    counts(seq.tokens, seq.vocab, 3)
    weighed_rules(("article", last, 1.0), result.snapshots[last], seq.tokens, seq.vocab, 3)
    settle_process()


@functools.cache
def warm_up() -> threading.Thread:
    """Once per server process, from app.py after its first run: a background thread pays what a process's
    first training costs beyond the training itself (torch's optimizer imports its compiler stack, about 2 s,
    on first use), so the first learner who trains does not. It waits for a second with no script run (an
    import holds the interpreter: a page arriving meanwhile would share it), runs at the lowest priority
    (Linux: the thread's own niceness), and stores or caches nothing."""

    def run():
        deadline = time.monotonic() + WARM_UP_LATEST
        while not _quiet() and time.monotonic() < deadline:
            time.sleep(0.1)
        if sys.platform == "linux":
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WARM_UP_NICE)
        with contextlib.suppress(stopping.Stopping):
            train(GPTConfig(), TrainConfig(steps=1), (0, 1) * 4)

    _stop_at_exit()
    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    _background.append(thread)
    thread.start()
    return thread


# Trainings running at once on the whole machine (every process of the app takes turns in one queue, core.turns);
# more wait their turn, first come first served, and see their place. One core stays free for the servers
# themselves: on 2 cores, 1 job at a time kept the slowest health answer under load at 0.5 s (2 at a time:
# 1.3-2.7 s) for ~35% more wall time (benchmarks/load_test.py). $BABYGPT_TRAININGS overrides the count,
# $BABYGPT_QUEUE_WAIT the longest wait in seconds (then the page says the server is busy).
MAX_CONCURRENT_JOBS = max(1, (os.cpu_count() or 2) - 1)
QUEUE_FILE = "turns.sqlite"  # in a folder of this machine's: its processes share the queue, other machines have theirs


def _env_number(name: str, default: float, kind: type = float) -> float:
    try:
        value = kind(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


@functools.cache
def turns() -> Turns:
    """The machine's queue of heavy computations, in `$BABYGPT_TURNS` or the machine's temporary folder (never the
    result store, which machines may share over a network volume, where sqlite's locks are not to be trusted)."""
    folder = pathlib.Path(os.environ.get("BABYGPT_TURNS") or pathlib.Path(tempfile.gettempdir()) / f"babygpt-{os.getuid()}")
    return Turns(folder / QUEUE_FILE, int(_env_number("BABYGPT_TRAININGS", MAX_CONCURRENT_JOBS, int)))


PER_ADDRESS = 4  # trainings one address may have queued or running at once (a class behind one router shares it)


def per_address() -> int:
    """$BABYGPT_TRAININGS_PER_ADDRESS, else PER_ADDRESS."""
    return int(_env_number("BABYGPT_TRAININGS_PER_ADDRESS", PER_ADDRESS, int))


def wait_bound() -> float:
    """The longest a computation waits for its turn, in seconds."""
    return _env_number("BABYGPT_QUEUE_WAIT", WAIT_SECONDS)


class Job:
    """One computation, run once on first request; later requests wait for it and share its result.

    The job (not its result) is what a cache holds, so the progress callback runs outside
    the cached function: Streamlit replays elements created inside a cached function, and a
    progress bar must not be replayed. Results are shared across sessions: read-only.

    `stored()` (optional) is a cheap look-up of a finished result (the result store): tried before taking
    a turn and again once the turn comes (another process may have computed it meanwhile). The work itself
    runs in a turn of the machine's queue; the page shows its place while it waits (ui.waiting).
    """

    def __init__(self, fn: Callable, *args, stored: Callable | None = None):
        self.fn, self.args, self.stored = fn, args, stored
        self._lock = threading.Lock()
        self._result = None
        self._done = False

    def result(self, progress: Progress | None = None):
        with self._lock:
            if not self._done:
                value = self.stored() if self.stored is not None else None
                if value is None:
                    with (
                        waiting.place() as w,
                        turns().turn(wait_bound(), w.on_wait, client=w.client, most=per_address(), on_held=w.on_held),
                    ):
                        value = self.stored() if self.stored is not None else None
                        if value is None:
                            value = self.fn(*self.args, progress=progress)
                self._result, self._done = value, True
            return self._result


def _stored_training(model_config, train_config, tokens) -> TrainResult | None:
    """A training some process stored before (read-only snapshots), or None."""
    results = store()
    data = results.get(train_key(model_config, train_config, tokens)) if results is not None else None
    return _read_only(result_from_bytes(data, model_config)) if data is not None else None


def _train_and_store(model_config, train_config, tokens, progress=None) -> TrainResult:
    """Train and put the result into the store (`core.store`, on disk, shared by every process and kept across
    restarts), so a configuration is trained once per deployment, not once per process."""
    r = train(model_config, train_config, tokens, progress=progress)
    results = store()
    if results is not None:
        results.put(train_key(model_config, train_config, tokens), result_to_bytes(r))
    return _read_only(r)


def _read_only(r: TrainResult) -> TrainResult:
    for table in r.snapshots.values():
        table.flags.writeable = False
    return r


@st.cache_resource(max_entries=24, ttl=TTL, show_spinner=False)
def _train_job(model_config: GPTConfig, train_config: TrainConfig, tokens: tuple[int, ...]) -> Job:
    stored = functools.partial(_stored_training, model_config, train_config, tokens)
    return Job(_train_and_store, model_config, train_config, tokens, stored=stored)


def trained(
    model_config: GPTConfig, train_config: TrainConfig, tokens: tuple[int, ...], progress: Progress | None = None
) -> TrainResult:
    """A trained model with its snapshots; shared by every session asking for the same config."""
    check_training(model_config, train_config, len(tokens))
    return _train_job(model_config, train_config, tokens).result(progress)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _sweep_job(seq: Sequence, contexts: tuple[int, ...], train_config: TrainConfig) -> Job:
    return Job(context_sweep, seq, contexts, train_config)


def sweep(seq: Sequence, contexts: tuple[int, ...], train_config: TrainConfig, progress=None) -> list[ChainRow]:
    """The context sweep (core.babygpt.compare.context_sweep), cached per configuration."""
    return _sweep_job(seq, contexts, train_config).result(progress)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _bits_job(bits: tuple[int, ...], context_bits: int, widths: tuple[int, ...], train_config: TrainConfig) -> Job:
    return Job(equal_bits, bits, context_bits, widths, train_config)


def bits_compare(
    bits: tuple[int, ...], context_bits: int, widths: tuple[int, ...], train_config: TrainConfig, progress=None
) -> list[EqualBitsRow]:
    """The equal-information comparison (core.babygpt.compare.equal_bits), cached per configuration."""
    return _bits_job(bits, context_bits, widths, train_config).result(progress)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _side_job(seq: Sequence, a: tuple[int, int], b: tuple[int, int], steps: int) -> Job:
    return Job(side_by_side, seq, a, b, steps)


def side(seq: Sequence, a: tuple[int, int], b: tuple[int, int], steps: int, progress=None) -> SideBySide:
    """Two (context, seed) trainings side by side (core.babygpt.compare.side_by_side), cached."""
    return _side_job(seq, a, b, steps).result(progress)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _spread_job(seq: Sequence, model_config: GPTConfig, train_config: TrainConfig, seeds: tuple[int, ...]) -> Job:
    return Job(seed_spread, seq, model_config, train_config, seeds)


def spread(seq: Sequence, model_config: GPTConfig, train_config: TrainConfig, seeds: tuple[int, ...], progress=None):
    """Final tables over several seeds (core.babygpt.compare.seed_spread), cached per configuration."""
    return _spread_job(seq, model_config, train_config, seeds).result(progress)


@st.cache_data(max_entries=256, ttl=TTL, show_spinner=False)
def space(vocab: int, context: int) -> StateSpace:
    """Every state-space figure for (V, k)."""
    return state_space(vocab, context)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def counts(tokens: tuple[int, ...], vocab: int, context: int) -> np.ndarray:
    """The data's transition counts over full states."""
    return empirical_counts(tokens, vocab, context)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def state_labels(vocab: int, context: int, itos: tuple[str, ...]) -> list[str]:
    """Every full state's text, in table order (up to 65,536: worth keeping across reruns)."""
    return [label(s, itos) for s in all_states(vocab, context)]


# A chain's cached views are keyed by `source`: a small hashable description of where the table came from
# (configuration, step, temperature), never by the table itself, which would be hashed on every rerun.


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def stationary(source: tuple, _probs: np.ndarray) -> np.ndarray:
    """The stationary distribution of the chain `_probs` described by `source`."""
    return stationary_distribution(_probs)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def long_run(source: tuple, _trained: np.ndarray, temperature: float) -> AtTemperature:
    """Stationary distribution, entropy rate and mixing time of a trained table at one temperature."""
    return at_temperature(_trained, temperature)


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def by_temperature(source: tuple, _trained: np.ndarray) -> list[AtTemperature] | None:
    """The same figures over a range of temperatures; None past SWEEP_STATE_LIMIT states (eleven long runs)."""
    return temperature_sweep(_trained) if len(_trained) <= SWEEP_STATE_LIMIT else None


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def chain_html(
    source: tuple,
    _probs: np.ndarray,
    vocab: int,
    context: int,
    itos: tuple[str, ...],
    _data_counts: np.ndarray | None,
    standalone: bool = False,
    focus: Focus | None = None,
    lang: str = "en",
    explain: dict | None = None,
) -> str:
    """The pyvis page of one transition table, whole or focused (cached by `source`: scrubbing back and forth is instant).

    standalone: vis-network inlined, for a file that opens offline; else loaded from the app.
    lang: the tooltips' language (a cache key: each language has its own page).
    explain: where a never-seen state's panel links to (`ui.graph.graph_html`).
    """
    i18n.use(lang)
    g = transition_graph(_probs, vocab, context, itos, _data_counts, focus=focus)
    return graph_html(g, asset_base=None if standalone else asset_base(), explain=explain)


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def variable_length(
    model_config: GPTConfig,
    train_config: TrainConfig,
    tokens: tuple[int, ...],
    itos: tuple[str, ...],
    step: int,
    temperature: float,
    lang: str = "en",
):
    """(states, probs, html) of the chain over states of every length 1..k at a training step and temperature
    (lang: the tooltips', a cache key). The model at step s is the same configuration trained for s steps: full
    batch and a constant learning rate make it the very model the longer run had after s steps."""
    i18n.use(lang)
    model = trained(model_config, dataclasses.replace(train_config, steps=step), tokens).model
    states, probs = variable_length_table(model)
    probs = tempered(probs, temperature)
    g = variable_length_graph(states, probs, model_config.block_size, itos, seen_in(states, tokens))
    html = graph_html(g, asset_base=asset_base()) if len(states) <= FULL_GRAPH_LIMIT else None
    return states, probs, html


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def weights_bytes(model_config: GPTConfig, train_config: TrainConfig, tokens: tuple[int, ...]) -> bytes:
    """The trained model's state_dict as a torch.save file."""
    buf = io.BytesIO()
    torch.save(trained(model_config, train_config, tokens).model.state_dict(), buf)
    return buf.getvalue()


# Real text: the real-text page's sweep and graph. A text is keyed by `core.text.analysis.text_key`
# ("builtin:<name>" for a built-in corpus), never by the text itself; a finished sweep keeps its result, not the text.


def _analyse_once(box: list[str], alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None) -> TextSweep:
    result = analyse(box[0], alphabet, heldout, contexts, progress)
    box.clear()  # the finished job keeps its result, not the text
    return result


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _text_sweep_job(key: str, alphabet: str, heldout: float, contexts: tuple[int, ...], _box: list[str]) -> Job:
    return Job(_analyse_once, _box, alphabet, heldout, contexts)


def text_sweep(key: str, text: str, alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None) -> TextSweep:
    """`core.text.analysis.analyse`, cached per (text key, alphabet, held-out fraction, contexts), shared by every session."""
    return _text_sweep_job(key, alphabet, heldout, contexts, [text]).result(progress)


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def text_graph_page(
    key: str, alphabet_name: str, heldout: float, k: int, lang: str, _focus: TextFocus, _alphabet: tuple[str, ...]
) -> str:
    """The pyvis page of the focused graph, cached per (text key, alphabet, held-out fraction, k, language).

    Its grey states are end points outside the drawn top states (the same colour and tooltip as on every page).
    """
    i18n.use(lang)
    return graph_html(focused_graph(_focus, _alphabet), asset_base=asset_base())


def _vocab_of_builtin(corpus: str, sizes: tuple[int, ...], span: int, heldout: float, progress=None) -> VocabSweep:
    return vocab_sweep_with_tokenizers(builtin_text(corpus), sizes, span, heldout, progress)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _vocab_job(corpus: str, sizes: tuple[int, ...], span: int, heldout: float) -> Job:
    return Job(_vocab_of_builtin, corpus, sizes, span, heldout)


def text_vocab(corpus: str, sizes: tuple[int, ...], span: int, heldout: float, progress=None) -> VocabSweep:
    """Every vocabulary size's figures on a built-in corpus with its tokenizers, cached per (corpus, sizes, span, held-out)."""
    return _vocab_job(corpus, sizes, span, heldout).result(progress)


# Never-seen states (`core.babygpt.explain`): the Train page's tab and Compare's seeds. A table is keyed by
# `source` (where it came from), as the chain's views are; the attention by the training, drawn from its model.


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def explained(source: tuple, _probs: np.ndarray, tokens: tuple[int, ...], vocab: int, context: int):
    """The table `_probs` (described by `source`) beside the data's suffix counts (`core.babygpt.explain.explain`)."""
    from core.babygpt.explain import explain

    return explain(tokens, vocab, context, _probs)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def weighed_rules(source: tuple, _probs: np.ndarray, tokens: tuple[int, ...], vocab: int, context: int):
    """(Rules, RulesSummary or None): the never-seen states' GPT arrows beside the simple rules', the count table's
    back-off included (`core.babygpt.explain.rules`, `core.text.ngram.kneser_ney_rows`)."""
    from core.babygpt.explain import explain, rules, summarise

    e = explain(tokens, vocab, context, _probs)
    r = rules(e, tokens, _kneser_ney_for_rules(e, tokens))
    return r, summarise(r, len(e.never_seen))


def _kneser_ney_for_rules(e, tokens: tuple[int, ...]) -> np.ndarray:
    """The count table's rows (Kneser-Ney at e's k, trained on `tokens`) for the never-seen states the rules weigh."""
    from core.babygpt.explain import rule_states
    from core.text.ngram import kneser_ney_rows

    states = all_states(e.vocab, e.context)
    return kneser_ney_rows(np.asarray(tokens), e.vocab, e.context, [states[int(s)] for s in rule_states(e)])


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def attention_weights(
    model_config: GPTConfig, train_config: TrainConfig, tokens: tuple[int, ...], state: tuple[int, ...]
) -> np.ndarray:
    """What each head of the trained model reads for one full state: (n_layer, n_head, k, k)."""
    from core.babygpt.explain import attention

    return attention(trained(model_config, train_config, tokens).model, state)


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def seed_agreement(seq: Sequence, model_config: GPTConfig, train_config: TrainConfig, seeds: tuple[int, ...], _tables):
    """Per seed of a seed spread (its tables `_tables`, from `spread` with the same arguments): the never-seen agreement
    and the rule each seed's arrows are nearest."""
    from core.babygpt.explain import agreement_over_seeds, explain

    k = model_config.block_size
    e = explain(seq.tokens, seq.vocab, k, _tables[0])  # the data alone decides which states are never seen
    return agreement_over_seeds(_tables, seeds, seq.tokens, seq.vocab, k, _kneser_ney_for_rules(e, seq.tokens))


# One text, two languages: the parallel corpora's sweep and their BPE vocabularies. The corpora ship with the app,
# so each result is the same for every session: computed once per process (and configuration), then shared.


def _parallel(heldout: float, contexts: tuple[int, ...], progress=None) -> Parallel:
    return compare_parallel(heldout, contexts)


@st.cache_resource(max_entries=4, ttl=TTL, show_spinner=False)
def _parallel_job(heldout: float, contexts: tuple[int, ...]) -> Job:
    return Job(_parallel, heldout, contexts)


def parallel(heldout: float, contexts: tuple[int, ...], progress=None) -> Parallel:
    """Both halves of the parallel corpus over `contexts` (`core.text.parallel.compare`), cached per configuration."""
    return _parallel_job(heldout, contexts).result(progress)


@st.cache_resource(max_entries=4, ttl=TTL, show_spinner=False)
def _parallel_bpe_job(sizes: tuple[int, ...], heldout: float) -> Job:
    return Job(bpe_compare, sizes, heldout)


def parallel_bpe(sizes: tuple[int, ...], heldout: float, progress=None) -> BpeCompare:
    """BPE vocabularies of equal sizes on both languages (`core.text.parallel.bpe_compare`), cached per configuration."""
    return _parallel_bpe_job(sizes, heldout).result(progress)


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def play_page(
    source: tuple,
    _probs: np.ndarray,
    vocab: int,
    context: int,
    itos: tuple[str, ...],
    _data_counts: np.ndarray | None,
    focus: Focus | None,
    lang: str,
    _result: TrainResult | None = None,
    temperature: float = 1.0,
    start_step: int | None = None,
    walk: tuple[int, int, tuple[int, ...]] | None = None,
    channel: str = "step",
    explain: dict | None = None,
) -> str:
    """The pyvis page of `_probs` with its player (`ui.graph.play_html`): every snapshot of `_result` at `temperature`
    (`source` names the training and the drawn step), and / or the walk (seed, length, start) through `_probs`."""
    from core.babygpt.play import loss_points, training_frames, walk_path
    from ui.graph import play_html, play_payload

    i18n.use(lang)
    g = transition_graph(_probs, vocab, context, itos, _data_counts, focus=focus)
    frames = loss = path = None
    if _result is not None:
        arrows = [(int(u), d["token"]) for u, _, d in g.edges(data=True)]
        frames = training_frames(_result.snapshots, [int(n) for n in g.nodes], arrows, temperature)
        bits = [x / np.log(2) for x in (*_result.losses, _result.final_loss)]  # the loss after s updates, s = 0..steps
        loss = loss_points(bits)
    if walk is not None:
        path = walk_path(_probs, walk[1], walk[0], walk[2])
    g.graph["step"], g.graph["temperature"] = start_step, temperature  # what the table beside the graph says
    payload = play_payload(g, frames, start_step, loss, path, itos, channel)
    return play_html(g, payload, asset_base=asset_base(), explain=explain)


# The real-text scoreboard and the GPT trained beforehand (`core.text.pretrained`). That model is trained once per
# deployment into the result store: at image build (`scripts/warm.py --pretrained`), else in one background thread
# of one server process, started by `start_pretraining` after the server is up (never on a request; a lock file in
# the store keeps other processes from training it too). BABYGPT_PRETRAIN=off turns the background training off.

from core.text import pretrained as _pre  # noqa: E402
from core.text.scoreboard import Board, kn_curve_of, scoreboard  # noqa: E402

PRETRAIN_LOCK = ".pretrain.lock"  # in the store's folder: who trains the model
PRETRAIN_STALE_SECONDS = 600  # a lock not touched for this long belongs to a process that died (the trainer touches it)
PRETRAIN_BEAT_SECONDS = 10
_pretraining = {"step": 0, "steps": 0, "started": None, "error": None}  # this process's background training


def pretrain_spec() -> _pre.Spec:
    """The spec the page opens with (a module attribute, so a test can swap in a small one)."""
    return _pre.PRETRAINED


def _lock_path():
    results = store()
    return None if results is None else results.root / PRETRAIN_LOCK


def _take_lock() -> bool:
    import time

    path = _lock_path()
    if path is None:
        return False
    try:
        if time.time() - path.stat().st_mtime > PRETRAIN_STALE_SECONDS:
            path.unlink(missing_ok=True)
    except OSError:
        pass
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except OSError:
        return False
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return True


def _pretrain_in_background(spec: _pre.Spec) -> None:
    import time

    beat = [time.time()]

    def progress(i, n, loss=None):
        _pretraining["step"], _pretraining["steps"] = i, n
        if time.time() - beat[0] > PRETRAIN_BEAT_SECONDS and (path := _lock_path()) is not None:
            beat[0] = time.time()
            try:
                os.utime(path)  # alive: the other processes keep waiting for this one
            except OSError:
                pass

    try:
        _pretraining["started"] = time.time()
        p = _pre.train_pretrained(spec, progress=progress)
        results = store()
        if results is not None:
            results.put(_pre.pretrained_key(spec), _pre.to_bytes(p))
    except Exception as e:  # noqa: BLE001  (a background thread has no page to show it on: the page says it failed)
        _pretraining["error"] = repr(e)
    finally:
        path = _lock_path()
        if path is not None:
            path.unlink(missing_ok=True)


def start_pretraining() -> None:
    """From app.py on every run: once the server is up, train the spec's model in the background if no process
    has stored it and none is training it. Cheap when there is nothing to do."""
    if os.environ.get("BABYGPT_PRETRAIN", "background") == "off" or _pretraining["started"] is not None:
        return
    spec = pretrain_spec()
    results = store()
    if _shipped(_pre.pretrained_key(spec), spec) is not None:  # shipped with the app: nothing to train
        return
    if results is None or results.path(_pre.pretrained_key(spec)).exists() or not _take_lock():
        return
    _pretraining["started"] = 0.0  # claimed: the thread sets the time
    _stop_at_exit()
    thread = threading.Thread(target=_pretrain_in_background, args=(spec,), name="pretrain", daemon=True)
    _background.append(thread)
    thread.start()


@st.cache_resource(max_entries=2, ttl=TTL, show_spinner=False)
def _pretrained_from_store(key: str, _spec: _pre.Spec) -> _pre.Pretrained | None:
    results = store()
    data = results.get(key) if results is not None else None
    try:
        return _pre.from_bytes(data, _spec) if data is not None else None
    except Exception:  # noqa: BLE001  (a file another version wrote, or damaged: as if absent)
        return None


@st.cache_resource(max_entries=2, show_spinner=False)
def _shipped(key: str, _spec: _pre.Spec) -> _pre.Pretrained | None:
    """The model shipped with the app ($BABYGPT_SHIPPED names another folder: an empty one makes the server train it)."""
    folder = os.environ.get("BABYGPT_SHIPPED")
    return _pre.shipped(_spec, pathlib.Path(folder)) if folder else _pre.shipped(_spec)


def _shipped_board(spec: _pre.Spec) -> Board | None:
    folder = os.environ.get("BABYGPT_SHIPPED")
    return _pre.shipped_board(spec, pathlib.Path(folder)) if folder else _pre.shipped_board(spec)


def pretrained_status() -> tuple[str, dict]:
    """("ready", {"model": Pretrained}) shipped with the app or stored, ("training", {"step", "steps", "started"}) in
    this process, ("elsewhere", {}) in another process of the server, ("failed", {"error"}) or ("off", {})."""
    spec = pretrain_spec()
    key = _pre.pretrained_key(spec)
    if (p := _shipped(key, spec)) is not None:
        return "ready", {"model": p}
    results = store()
    if results is not None and results.path(key).exists():
        p = _pretrained_from_store(key, spec)
        if p is not None:
            return "ready", {"model": p}
        _pretrained_from_store.clear()  # a partial or corrupt file: read again next time
    if _pretraining["error"] is not None:
        return "failed", {"error": _pretraining["error"]}
    if _pretraining["started"] is not None:
        return "training", dict(_pretraining)
    path = _lock_path()
    if path is not None and path.exists():
        return "elsewhere", {}
    return "off", {}


@st.cache_data(max_entries=4, ttl=TTL, show_spinner=False)
def pretrained_board(key: str, _p: _pre.Pretrained) -> Board:
    """The scoreboard of the stored model (its costs were scored when it was trained), cached per store key; the
    shipped model's comes recorded beside it (tests/test_pretrained.py counts it again)."""
    if _shipped(key, _p.spec) is not None and (board := _shipped_board(_p.spec)) is not None:
        return board
    s, train_ids, heldout_ids = _pre.symbols_of(_p.spec)
    return scoreboard(train_ids, heldout_ids, s.vocab, _p.spec.model.block_size, _p.costs)


@st.cache_resource(max_entries=2, show_spinner=False)
def shipped_model(corpus: str) -> tuple[_pre.Pretrained, Board] | None:
    """A GPT that ships with the app and its recorded board (`core.text.pretrained.SPECS`), or None if not shipped."""
    spec = _pre.SPECS[corpus]
    p = _shipped(_pre.pretrained_key(spec), spec)
    board = _shipped_board(spec) if p is not None else None
    return None if board is None else (p, board)


@st.cache_data(max_entries=4, ttl=TTL, show_spinner=False)
def table_on_curve(key: str, _p: _pre.Pretrained, best_k: int) -> tuple[float, int]:
    """Kneser-Ney at its best order on the examples of the GPT's learning curve (`core.text.pretrained.table_on_curve`)."""
    return _pre.table_on_curve(_p, best_k)


@st.cache_data(max_entries=4, ttl=TTL, show_spinner=False)
def name_samples(key: str, _p: _pre.Pretrained, best_k: int, n: int, seed: int):
    """Whole names from the names GPT and from Kneser-Ney at its best order (`core.text.pretrained.name_samples`)."""
    return _pre.name_samples(_p, best_k, n, seed)


@st.cache_data(max_entries=4, ttl=TTL, show_spinner=False)
def pretrained_samples(key: str, _p: _pre.Pretrained, best_k: int, n: int, seed: int) -> tuple[str, str, str]:
    """(prompt, GPT sample, Kneser-Ney sample at its best order) after the first max(k, best_k) held-out symbols."""
    return _pre.samples(_p, best_k, n, seed)


@st.cache_data(max_entries=8, ttl=TTL, show_spinner=False)
def text_kn_curve(corpus: str, alphabet: str, heldout: float):
    """Kneser-Ney's learning curve on growing prefixes of a built-in corpus's training part."""
    return kn_curve_of(builtin_text(corpus), alphabet, heldout)


def _board_of_builtin(corpus, alphabet, k, train, heldout, shape, sample_chars, progress=None) -> GptVsNgram:
    return gpt_vs_ngram(builtin_text(corpus), alphabet, k, train, heldout, *shape, sample_chars, progress, board=True)


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _board_job(
    corpus: str, alphabet: str, k: int, steps: int, seed: int, heldout: float, shape: tuple[int, int, int], sample_chars: int
) -> Job:
    return Job(_board_of_builtin, corpus, alphabet, k, TextTrainConfig(steps=steps, seed=seed), heldout, shape, sample_chars)


def text_gpt_board(
    corpus: str,
    alphabet: str,
    k: int,
    steps: int,
    seed: int,
    heldout: float,
    shape: tuple[int, int, int],
    sample_chars: int,
    progress=None,
) -> GptVsNgram:
    """A text GPT (shape: n_layer, n_head, n_embd) against the n-gram on a built-in corpus, with the scoreboard
    (board=True), cached per configuration."""
    return _board_job(corpus, alphabet, k, steps, seed, heldout, shape, sample_chars).result(progress)
