"""A text GPT trained beforehand with a larger budget than a request may spend, kept in the result store.

What it is: `PRETRAINED`, the configuration (corpus, alphabet, model, optimizer, steps) the "Vocabulary & GPT"
page opens with, and `NAMES` beside it (the side where the GPT wins), both in `SPECS`; `train_pretrained` trains
a spec with the same code as any request (`core.text.textgpt`), its caps lifted, recording a learning curve
(held-out bits at checkpoints, on the spec's curve_examples evenly spaced held-out examples, and for a spec with
dropout the validation slice's bits, with the characters and training FLOPs seen by then), then scores it for the
scoreboard on the spec's heldout_examples evenly spaced held-out examples; `to_bytes` / `from_bytes` keep it in the
store under `pretrained_key`.

Shipped with the app: `scripts/pretrain.py [--corpus names]` trains a spec and writes its file and its recipe with
its held-out scores (`SHIPPED`, `files`, `shipped`); the test suite checks that each shipped file reproduces those
scores. `table_on_curve` is the count table on a curve's own examples; `name_samples` draws whole names. A spec
that is not shipped (another torch, a changed recipe) is trained at image build (`scripts/warm.py --pretrained`)
or in the background after the server is up; never on a visitor's request.

What it is not: a cache or a thread (`core.runtime.pretrain` trains it in the background and reads the store).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import pathlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from core.model import GPT, build_model
from core.text.corpus import builtin_text, symbolize, training_length
from core.text.scoreboard import GptCosts, fit_cut, gpt_costs
from core.text.textgpt import TextGPTConfig, TextTrainConfig, gpt_example_bits, train_text_model, training_flops

KEY_VERSION = 2  # bump when the same spec starts to give other numbers
CURVE_EXAMPLES = 1_000  # held-out examples scored at each checkpoint
CURVE_STEPS = (50, 100, 200, 400, 1_000, 2_000, 4_000, 8_000, 12_000, 16_000, 20_000, 24_000)  # within the steps, and the last


@dataclass(frozen=True)
class Spec:
    """What is trained beforehand: a built-in corpus in one alphabet, its held-out fraction, the model, the training."""

    corpus: str
    alphabet: str
    heldout: float
    model: TextGPTConfig  # vocab_size is the alphabet's
    train: TextTrainConfig
    heldout_examples: int = 8_000  # held-out examples scored for the board (evenly spaced)
    curve_examples: int = CURVE_EXAMPLES  # held-out (and validation) examples scored at each checkpoint (evenly spaced)


def _spec(steps: int) -> Spec:
    # nanoGPT's CPU shape (4 layers, 4 heads, 128 wide, context 64) with a larger batch and learning rate
    model = TextGPTConfig(block_size=64, vocab_size=27, n_layer=4, n_head=4, n_embd=128, capped=False)
    train = TextTrainConfig(
        steps=steps, batch_size=32, lr=2e-3, min_lr=2e-4, warmup_steps=100, beta2=0.99, grad_clip=1.0, seed=0, capped=False
    )
    return Spec("python-docs", "shannon27", 0.1, model, train)


PRETRAINED = _spec(steps=2_000)
# makemore's transformer (4 layers, 4 heads, 64 wide, context 16) with nanoGPT's dropout against overfitting; the
# steps, learning rate and dropout chosen on the validation slice's curve (the training part's last tenth, which the
# GPT never trains on: `core.text.scoreboard.fit_cut`), never on the held-out part
NAMES = Spec(
    "names",
    "raw",
    0.1,
    TextGPTConfig(block_size=16, vocab_size=27, n_layer=4, n_head=4, n_embd=64, dropout=0.2, capped=False),
    TextTrainConfig(
        steps=24_000, batch_size=64, lr=2e-3, min_lr=2e-4, warmup_steps=200, beta2=0.99, grad_clip=1.0, seed=0, capped=False
    ),
    heldout_examples=30_000,  # every held-out example (about 22,800)
    curve_examples=30_000,  # every one at each checkpoint too: the curve ends at the board's own number
)
SPECS = {spec.corpus: spec for spec in (PRETRAINED, NAMES)}  # what ships, by corpus
SHIPPED = pathlib.Path(__file__).resolve().parent / "shipped"  # <corpus>.pt and <corpus>.json for each spec


def pretrained_key(spec: Spec) -> str:
    """The store key of a spec: every field, and what computes it."""
    return repr(("pretrained-text-gpt", KEY_VERSION, torch.__version__, spec))


@dataclass(frozen=True)
class CurvePoint:
    """The GPT at one checkpoint of its training: what it had seen, what it cost, on the spec's curve examples."""

    step: int
    chars: int  # training characters seen: steps * batch * k (windows overlap and repeat)
    flops: float  # training FLOPs by then: 6 * params * chars
    bits: float
    validation_bits: float | None = None  # on the validation slice (the fit slice; recorded for the names GPT)


@dataclass(frozen=True)
class Pretrained:
    """The trained model, its budget and time, its learning curve and its per-example costs for the scoreboard."""

    spec: Spec
    model: GPT
    n_params: int
    seconds: float  # the training loop's wall time (checkpoints left out)
    threads: int
    flops: float  # training FLOPs: 6 * params * steps * batch * k
    final_loss_bits: float
    curve: tuple[CurvePoint, ...]
    costs: GptCosts


def symbols_of(spec: Spec):
    """(symbols, training ids, held-out ids) of the spec's corpus and alphabet."""
    text = builtin_text(spec.corpus)
    s = symbolize(text, spec.alphabet)
    cut = training_length(text, spec.alphabet, len(s.ids), spec.heldout)  # a parallel corpus: between sentence pairs
    return s, s.ids[:cut], s.ids[cut:]


def curve_positions(spec: Spec, n: int) -> np.ndarray:
    """The examples (of n) a learning curve scores at each checkpoint: min(n, spec.curve_examples), evenly spaced."""
    return np.unique(np.linspace(0, n - 1, min(n, spec.curve_examples)).round().astype(np.int64))


def table_on_curve(p: Pretrained, best_k: int) -> tuple[float, int]:
    """Modified Kneser-Ney at order best_k (counted on the whole training part) on the very held-out examples the
    GPT's learning curve is scored on, and how many: the cost its curve is set against (`core.text.sides.crossing`)."""
    from core.text.ngram import example_bits

    s, train_ids, heldout_ids = symbols_of(p.spec)
    k = p.spec.model.block_size
    at = curve_positions(p.spec, len(heldout_ids) - k) + k - best_k  # example j predicts held-out symbol j + k
    bits = example_bits(train_ids, heldout_ids, s.vocab, best_k)[0][at[at >= 0]]
    return float(bits.mean()), len(bits)


def samples(p: Pretrained, best_k: int, n: int, seed: int) -> tuple[str, str, str]:
    """(prompt, GPT sample, Kneser-Ney sample at order best_k): n symbols each after the first max(k, best_k)
    held-out symbols, seeded."""
    from core.text.sampling import sample_gpt, sample_ngram

    s, train_ids, heldout_ids = symbols_of(p.spec)
    start = heldout_ids[: max(p.spec.model.block_size, best_k)]
    gpt = s.decode(sample_gpt(p.model, start, n, seed))
    return s.decode(start), gpt, s.decode(sample_ngram(train_ids, s.vocab, best_k, start, n, seed))


def train_pretrained(
    spec: Spec = PRETRAINED, progress: Callable[[int, int, float], None] | None = None, threads: int = 1
) -> Pretrained:
    """Train the spec's model (the caps are lifted by the spec), record its curve, score it on every held-out example."""
    s, train_ids, heldout_ids = symbols_of(spec)
    config = TextGPTConfig(**{**asdict(spec.model), "vocab_size": s.vocab})
    k, per_step = config.block_size, spec.train.batch_size * config.block_size
    at = curve_positions(spec, len(heldout_ids) - k)
    curve: list[CurvePoint] = []

    cut = fit_cut(len(train_ids))
    gpt_ids, validation = train_ids[:cut], train_ids[cut:]  # the mixture's fit slice stays unseen (`core.text.scoreboard`)
    v_at = curve_positions(spec, len(validation) - k)

    def checkpoint(step: int, model: GPT) -> None:
        bits = float(gpt_example_bits(model, heldout_ids, at, threads).mean())
        val = float(gpt_example_bits(model, validation, v_at, threads).mean()) if spec.model.dropout > 0 else None
        chars = step * per_step
        curve.append(CurvePoint(step, chars, 6.0 * model.n_params() * chars, bits, val))

    steps = [c for c in CURVE_STEPS if c < spec.train.steps] + [spec.train.steps]
    r = train_text_model(gpt_ids, config, spec.train, progress, threads, checkpoints=steps, on_checkpoint=checkpoint)
    costs = gpt_costs(r.model, train_ids, heldout_ids, threads, spec.heldout_examples)
    return Pretrained(
        spec, r.model, r.n_params, r.seconds, threads, training_flops(config, spec.train), r.losses[-1] / math.log(2),
        tuple(curve), costs,
    )  # fmt: skip


def to_bytes(p: Pretrained) -> bytes:
    """A torch.save file of plain values: weights, budget, time, curve, costs."""
    buf = io.BytesIO()
    torch.save(
        {
            "state_dict": p.model.state_dict(),
            "vocab": p.model.config.vocab_size,
            "n_params": p.n_params,
            "seconds": p.seconds,
            "threads": p.threads,
            "flops": p.flops,
            "final_loss_bits": p.final_loss_bits,
            "curve": [asdict(c) for c in p.curve],
            "heldout": torch.from_numpy(p.costs.heldout.astype(np.float64)),
            "fit": torch.from_numpy(p.costs.fit.astype(np.float64)),
            "trained_at": time.time(),
        },
        buf,
    )
    return buf.getvalue()


def from_bytes(data: bytes, spec: Spec = PRETRAINED) -> Pretrained:
    """The inverse of to_bytes: the model rebuilt from its weights, the numbers as stored."""
    d = torch.load(io.BytesIO(data), weights_only=True)
    config = TextGPTConfig(**{**asdict(spec.model), "vocab_size": int(d["vocab"])})
    model = build_model(config, 0)
    model.load_state_dict(d["state_dict"])
    model.eval()
    curve = tuple(CurvePoint(**c) for c in d["curve"])
    costs = GptCosts(d["heldout"].numpy(), d["fit"].numpy())
    for a in (costs.heldout, costs.fit):
        a.flags.writeable = False
    return Pretrained(
        spec, model, int(d["n_params"]), float(d["seconds"]), int(d["threads"]), float(d["flops"]),
        float(d["final_loss_bits"]), curve, costs,
    )  # fmt: skip


def recipe(p: Pretrained, board) -> dict:
    """What the shipped file records beside the weights: the spec, the store key's digest, the budget, the curve and
    the scoreboard's held-out figures (bits per character), so a re-run can be compared number for number."""
    costs = lambda c: {"overall": c.overall, "seen": c.seen, "unseen": c.unseen}  # noqa: E731
    return {
        "key_sha256": hashlib.sha256(pretrained_key(p.spec).encode()).hexdigest(),
        "spec": asdict(p.spec),
        "torch": torch.__version__,
        "n_params": p.n_params,
        "flops": p.flops,
        "seconds": round(p.seconds, 1),
        "threads": p.threads,
        "final_loss_bits": p.final_loss_bits,
        "curve": [asdict(c) for c in p.curve],
        "heldout_examples": board.examples,
        "unseen_fraction": 1 - board.seen_fraction,
        "gpt": costs(board.gpt),
        "kneser_ney": costs(board.kn),
        "mixed": costs(board.mix),
        "board": asdict(board),  # the whole scoreboard, so a page shows it without the minutes of counting again
    }


def files(spec: Spec, folder: pathlib.Path = SHIPPED) -> tuple[pathlib.Path, pathlib.Path]:
    """(weights, recipe) of a spec in a folder: <corpus>.pt and <corpus>.json."""
    return folder / f"{spec.corpus}.pt", folder / f"{spec.corpus}.json"


def _meta(spec: Spec, folder: pathlib.Path) -> dict | None:
    """The shipped recipe, if it was written for this very spec (same key: fields, version, torch)."""
    try:
        meta = json.loads(files(spec, folder)[1].read_text())
    except (OSError, ValueError):
        return None
    return meta if meta.get("key_sha256") == hashlib.sha256(pretrained_key(spec).encode()).hexdigest() else None


def shipped_board(spec: Spec = PRETRAINED, folder: pathlib.Path = SHIPPED):
    """The scoreboard recorded beside the shipped model (`core.text.scoreboard.Board`), or None."""
    from core.text.scoreboard import Board, Chain, Costs

    meta = _meta(spec, folder)
    if meta is None or "board" not in meta:
        return None
    d = dict(meta["board"])
    for name in ("kn", "kn_one", "kn_best", "gpt", "mix"):
        d[name] = Costs(**d[name])
    d["chain"] = Chain(**d["chain"])
    return Board(**d)


def shipped(spec: Spec = PRETRAINED, folder: pathlib.Path = SHIPPED) -> Pretrained | None:
    """The model shipped with the app, if it was trained from this very spec (same key: fields, version, torch)."""
    if _meta(spec, folder) is None:
        return None
    try:
        return from_bytes(files(spec, folder)[0].read_bytes(), spec)
    except (OSError, ValueError, KeyError, RuntimeError):
        return None


def name_samples(p: Pretrained, best_k: int, n: int, seed: int):
    """Names drawn from the GPT and from Kneser-Ney at order best_k (`core.text.sides.NameSamples`): n symbols each,
    seeded, after the training part's last max(k, best_k) symbols, which end with a newline (the training part of a
    corpus of one item a line ends between lines), so every line drawn is a whole name."""
    from core.text.sampling import sample_gpt, sample_ngram
    from core.text.sides import NameSamples, whole_names

    s, train_ids, _ = symbols_of(p.spec)
    start = train_ids[-max(p.spec.model.block_size, best_k) :]
    known = frozenset(s.decode(train_ids).split("\n"))
    gpt = s.decode(sample_gpt(p.model, start, n, seed))
    table = s.decode(sample_ngram(train_ids, s.vocab, best_k, start, n, seed))
    return NameSamples(whole_names(gpt, known), whole_names(table, known))
