"""What the pages compute, cached: bounded caches over `core`, results shared and never mutated by a page.

What it is: the only module that decides what is cached and for how long. Two kinds, each a decorator:
- `_job(fn, n)`: a heavy computation (a training, a sweep), run once per configuration in a turn of the machine's
  queue and shared by every session that asks (`core.runtime.jobs.Job`; the page shows its place, `ui.waiting`);
- `_data(n)`: a cheap-to-keep view of a result, keyed by its arguments (an argument whose name starts with `_` is
  not hashed: the one before it, `key` or `source`, names where it came from).
Every cache has `max_entries` and a TTL, so a public page that sees many configurations keeps its memory bounded.
Every request is checked against the caps once, before any work starts (`check_training`, a comparison's own entry
point); a refused request raises `LimitError` / `SequenceError` / `ConfigError` for the page to show.

What it is not: a place for page logic (`core.pages`) or for the runtime's machinery (`core.runtime`).
"""

from __future__ import annotations

import dataclasses
import functools
import io

import numpy as np
import streamlit as st
import torch

from core.arith.statespace import state_space
from core.babygpt import compare, explain, mixing
from core.babygpt.chain import empirical_counts, stationary_distribution, transition_graph
from core.babygpt.states import all_states, label
from core.babygpt.train import check_training
from core.pages import rules
from core.runtime import jobs, pretrain
from core.text import analysis, scoreboard, versus, vocab
from core.text import parallel as text_parallel
from core.text import pretrained as pre
from core.text.corpus import builtin_text
from core.text.textgpt import TextTrainConfig
from ui import graph, i18n, player, waiting
from ui.assets import ensure_static

TTL = "2h"
asset_base = functools.cache(ensure_static)  # where graphs load vis-network from: the app's static folder


def _job(fn, n: int = 8):
    """fn(*args, progress=...) as a shared Job per argument tuple; call the result with `progress=` to follow it."""

    @st.cache_resource(max_entries=n, ttl=TTL, show_spinner=False)
    @functools.wraps(fn)  # fn's name, source and arguments: a cache of its own, `_x` arguments not hashed
    def cached(*args):
        return jobs.Job(fn, *args)

    def result(*args, progress=None):
        return cached(*args).result(progress, waiting.place)

    result.clear, result.__doc__ = cached.clear, fn.__doc__
    return result


def _data(n: int):
    return st.cache_data(max_entries=n, ttl=TTL, show_spinner=False)


# BabyGPT: trainings and comparisons (core.babygpt), each trained once per deployment (the result store).


@st.cache_resource(max_entries=24, ttl=TTL, show_spinner=False)
def _train_job(model_config, train_config, tokens: tuple[int, ...]) -> jobs.Job:
    return jobs.training(model_config, train_config, tokens)


def trained(model_config, train_config, tokens: tuple[int, ...], progress=None):
    """A trained model with its snapshots; shared by every session asking for the same config."""
    check_training(model_config, train_config, len(tokens))
    return _train_job(model_config, train_config, tokens).result(progress, waiting.place)


sweep = _job(compare.context_sweep)
bits_compare = _job(compare.equal_bits)
side = _job(compare.side_by_side)
spread = _job(compare.seed_spread)
space = _data(256)(state_space)
counts = _data(64)(empirical_counts)


@_data(64)
def state_labels(vocab: int, context: int, itos: tuple[str, ...]) -> list[str]:
    """Every full state's text, in table order (up to 65,536: worth keeping across reruns)."""
    return [label(s, itos) for s in all_states(vocab, context)]


# A chain's views are keyed by `source`: where its table came from (configuration, step, temperature), never by the
# table itself, which would be hashed on every rerun.


@_data(64)
def stationary(source: tuple, _probs: np.ndarray) -> np.ndarray:
    return stationary_distribution(_probs)


@_data(64)
def long_run(source: tuple, _trained: np.ndarray, temperature: float) -> mixing.AtTemperature:
    return mixing.at_temperature(_trained, temperature)


@_data(32)
def by_temperature(source: tuple, _trained: np.ndarray) -> list[mixing.AtTemperature] | None:
    return mixing.temperature_sweep(_trained)


@_data(64)
def chain_html(source, _probs, vocab, context, itos, _data_counts, standalone=False, focus=None, lang="en", explain=None):
    """The graph page of one table, whole or focused (`ui.graph.graph_html`; standalone: vis-network inlined)."""
    i18n.use(lang)
    g = transition_graph(_probs, vocab, context, itos, _data_counts, focus=focus)
    return graph.graph_html(g, asset_base=None if standalone else asset_base(), explain=explain)


@_data(32)
def play_page(source, _probs, vocab, context, itos, _data_counts, focus, lang, _result=None, temperature=1.0,
              start_step=None, walk=None, channel="step", explain=None):  # fmt: skip
    """The graph page with its player (`ui.player.player_page`): `_result`'s snapshots at `temperature`, and / or a walk."""
    i18n.use(lang)
    g = transition_graph(_probs, vocab, context, itos, _data_counts, focus=focus)
    return player.player_page(g, _probs, itos, _result, temperature, start_step, walk, channel, asset_base(), explain)


@_data(32)
def variable_length(model_config, train_config, tokens: tuple[int, ...], itos, step: int, temperature: float, lang="en"):
    """(states, probs, html or None) of the chain over states of every length 1..k at a step and temperature: the
    model at step s is the configuration trained for s steps (full batch, constant rate: the same model)."""
    i18n.use(lang)
    model = trained(model_config, dataclasses.replace(train_config, steps=step), tokens).model
    states, probs, g = mixing.variable_length_chain(model, tokens, itos, temperature)
    return states, probs, graph.graph_html(g, asset_base=asset_base()) if g is not None else None


@_data(32)
def weights_bytes(model_config, train_config, tokens: tuple[int, ...]) -> bytes:
    """The trained model's state_dict as a torch.save file."""
    buf = io.BytesIO()
    torch.save(trained(model_config, train_config, tokens).model.state_dict(), buf)
    return buf.getvalue()


# Never-seen states (core.babygpt.explain, core.pages.rules): tables keyed by `source`, attention by the training.


@_data(64)
def explained(source: tuple, _probs: np.ndarray, tokens: tuple[int, ...], vocab: int, context: int):
    return explain.explain(tokens, vocab, context, _probs)


@_data(64)
def weighed_rules(source: tuple, _probs: np.ndarray, tokens: tuple[int, ...], vocab: int, context: int):
    return rules.weighed(_probs, tokens, vocab, context)


@_data(64)
def attention_weights(model_config, train_config, tokens: tuple[int, ...], state: tuple[int, ...]) -> np.ndarray:
    return explain.attention(trained(model_config, train_config, tokens).model, state)


@_data(16)
def seed_agreement(seq, model_config, train_config, seeds: tuple[int, ...], _tables):
    """Per seed of `spread(seq, model_config, train_config, seeds)` (its `_tables`): the never-seen agreement."""
    return rules.seed_agreement(_tables, seeds, seq.tokens, seq.vocab, model_config.block_size)


# Real text: a text is keyed by `core.text.analysis.text_key` ("builtin:<name>"), never by the text itself; the
# built-in and parallel corpora ship with the app, so their results are the same for every session.


def _analyse(key: str, alphabet: str, heldout: float, contexts: tuple[int, ...], _box: list[str], progress=None):
    result = analysis.analyse(_box[0], alphabet, heldout, contexts, progress)
    _box.clear()  # the finished job keeps its result, not the text (an interrupted one keeps the text for its retry)
    return result


_analysed = _job(_analyse)


def text_sweep(key: str, text: str, alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None):
    """`core.text.analysis.analyse`, once per (text key, alphabet, held-out fraction, contexts)."""
    return _analysed(key, alphabet, heldout, contexts, [text], progress=progress)


@_data(32)
def text_graph_page(key: str, alphabet_name: str, heldout: float, k: int, lang: str, _focus, _alphabet) -> str:
    i18n.use(lang)
    return graph.graph_html(analysis.focused_graph(_focus, _alphabet), asset_base=asset_base())


@_job
def text_vocab(corpus: str, sizes: tuple[int, ...], span: int, heldout: float, progress=None):
    return vocab.vocab_sweep_with_tokenizers(builtin_text(corpus), sizes, span, heldout, progress)


def _parallel(heldout: float, contexts: tuple[int, ...], progress=None):
    return text_parallel.compare(heldout, contexts)


parallel = _job(_parallel, 4)
parallel_bpe = _job(text_parallel.bpe_compare, 4)


@_job
def text_gpt_board(corpus, alphabet, k, steps, seed, heldout, shape: tuple[int, int, int], sample_chars, progress=None):
    config = TextTrainConfig(steps=steps, seed=seed)
    return versus.gpt_vs_ngram(builtin_text(corpus), alphabet, k, config, heldout, *shape, sample_chars, progress, board=True)


@_data(8)
def text_kn_curve(corpus: str, alphabet: str, heldout: float):
    return scoreboard.kn_curve_of(builtin_text(corpus), alphabet, heldout)


# The GPTs that ship with the app (core.text.pretrained), else trained once in the background (core.runtime.pretrain).


def pretrain_spec() -> pre.Spec:
    """The spec the page opens with (a module attribute, so a test can swap in a small one)."""
    return pre.PRETRAINED


def start_pretraining() -> None:
    pretrain.start(pretrain_spec())


def pretrained_status() -> tuple[str, dict]:
    start_pretraining()  # once per process, however the server was started (cheap when there is nothing to do)
    return pretrain.status(pretrain_spec())


shipped_model = pretrain.shipped_model


@_data(4)
def pretrained_board(key: str, _p: pre.Pretrained) -> scoreboard.Board:
    return pretrain.board(_p)


@_data(4)
def table_on_curve(key: str, _p: pre.Pretrained, best_k: int) -> tuple[float, int]:
    return pre.table_on_curve(_p, best_k)


@_data(4)
def name_samples(key: str, _p: pre.Pretrained, best_k: int, n: int, seed: int):
    return pre.name_samples(_p, best_k, n, seed)


@_data(4)
def pretrained_samples(key: str, _p: pre.Pretrained, best_k: int, n: int, seed: int) -> tuple[str, str, str]:
    return pre.samples(_p, best_k, n, seed)
