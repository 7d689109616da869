"""The `textmodel` command: a GPT trained on real text against the n-gram, as plain data for the CLI to print.

What it is: `add_textmodel_arguments` (the command's options, also under nanoGPT's names: --block-size,
--max-iters, --learning-rate, --warmup-iters, --min-lr, --lr-decay-iters, --beta1, --beta2, --grad-clip,
--dropout), `recipe` values (`--recipe nanogpt-cpu`: nanoGPT's CPU recipe for Tiny Shakespeare; `--recipe names`:
the names GPT that ships with the app, `core.text.pretrained.NAMES`; any option given overrides a recipe),
`--no-limits` (the page's caps lifted for local use; the context stays within the Kneser-Ney's
64), `--scoreboard` (every model of `core.text.scoreboard` on the same examples) and `cmd_textmodel`
(arguments -> a JSON-ready dict), over `core.text.versus.gpt_vs_ngram`.
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse
import dataclasses
import math

from core.cli.source import add_heldout_argument, add_source_arguments, read_source
from core.text.corpus import ALPHABETS, check_heldout
from core.text.limits import MAX_KN_K, MAX_TEXT_CONTEXT
from core.text.pretrained import NAMES, Spec
from core.text.textgpt import TextGPTConfig, TextTrainConfig, training_flops
from core.text.versus import gpt_vs_ngram

# nanoGPT's README: `python train.py config/train_shakespeare_char.py --device=cpu --compile=False --block_size=64
# --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0`, with
# that config's learning_rate 1e-3, beta2 0.99, warmup_iters 100, min_lr 1e-4 and train.py's weight_decay 0.1,
# beta1 0.9, grad_clip 1.0. Its README reports a validation loss of about 1.88 nats per character.
RECIPES = {
    "nanogpt-cpu": dict(
        context=64, batch_size=12, n_layer=4, n_head=4, n_embd=128, steps=2000, dropout=0.0, lr=1e-3, beta1=0.9,
        beta2=0.99, weight_decay=0.1, warmup_iters=100, min_lr=1e-4, grad_clip=1.0, alphabet="raw",
    ),
}  # fmt: skip


def spec_recipe(spec: Spec) -> dict:
    """A shipped GPT's spec as the command's options: the same model, optimizer and budget on any text."""
    m, tr = spec.model, spec.train
    return dict(
        context=m.block_size, batch_size=tr.batch_size, n_layer=m.n_layer, n_head=m.n_head, n_embd=m.n_embd, steps=tr.steps,
        dropout=m.dropout, lr=tr.lr, beta1=tr.beta1, beta2=tr.beta2, weight_decay=tr.weight_decay,
        warmup_iters=tr.warmup_steps, min_lr=tr.min_lr, grad_clip=tr.grad_clip, alphabet=spec.alphabet,
    )  # fmt: skip


RECIPES["names"] = spec_recipe(NAMES)  # `--builtin names --recipe names --no-limits --scoreboard` retrains the shipped one


class RecipeError(ValueError):
    """Options the trainer cannot follow (a dropout, a decay length other than the steps): one line, exit code 2."""


def add_textmodel_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `textmodel` command's options: a source, the alphabet, the model, the optimizer, the caps."""
    m, t = TextGPTConfig(), TextTrainConfig()
    add_source_arguments(parser)
    parser.add_argument(
        "--recipe",
        choices=sorted(RECIPES),
        help="nanogpt-cpu: nanoGPT's CPU recipe; names: the names GPT "
        f"that ships with the app ({NAMES.train.steps:,} steps, dropout {NAMES.model.dropout}); both need --no-limits",
    )
    parser.add_argument("--no-limits", action="store_true", help="lift the page's caps on model size, steps and batch")
    parser.add_argument("--scoreboard", action="store_true", help="also every model of the scoreboard, seen / never-seen")
    parser.add_argument("--alphabet", choices=ALPHABETS, help="raw: every character; shannon27: a-z and space (default)")
    parser.add_argument("--context", "--block-size", dest="context", type=int, help=f"k (default {m.block_size}), 1..{MAX_KN_K}")
    parser.add_argument("--steps", "--max-iters", dest="steps", type=int, help=f"optimizer steps (default {t.steps})")
    parser.add_argument("--lr-decay-iters", type=int, help="must equal the steps: the cosine ends at the last step")
    parser.add_argument("--seed", type=int, default=t.seed)
    add_heldout_argument(parser)
    parser.add_argument("--batch-size", type=int, help=f"windows per step (default {t.batch_size})")
    parser.add_argument("--lr", "--learning-rate", dest="lr", type=float, help=f"peak learning rate (default {t.lr})")
    parser.add_argument("--min-lr", type=float, help="the cosine's floor (default a tenth of the learning rate)")
    parser.add_argument("--warmup-iters", type=int, help="linear warm-up steps (default 5%% of the steps)")
    parser.add_argument("--weight-decay", type=float, help=f"AdamW weight decay of the 2-D weights (default {t.weight_decay})")
    parser.add_argument("--beta1", type=float, help=f"AdamW beta1 (default {t.beta1})")
    parser.add_argument("--beta2", type=float, help=f"AdamW beta2 (default {t.beta2})")
    parser.add_argument("--grad-clip", type=float, help="clip the gradients' global norm; 0: none (default)")
    parser.add_argument("--dropout", type=float, help="dropout while training, within [0, 1) (default 0: none)")
    parser.add_argument("--n-layer", type=int, help=f"blocks (default {m.n_layer})")
    parser.add_argument("--n-head", type=int, help=f"heads (default {m.n_head})")
    parser.add_argument("--n-embd", type=int, help=f"width (default {m.n_embd})")


def resolve(args: argparse.Namespace) -> dict:
    """Every option's value: given on the command line, else the recipe's, else the trainer's default."""
    m, t = TextGPTConfig(), TextTrainConfig()
    base = dict(
        context=m.block_size, batch_size=t.batch_size, n_layer=m.n_layer, n_head=m.n_head, n_embd=m.n_embd, steps=t.steps,
        dropout=0.0, lr=t.lr, beta1=t.beta1, beta2=t.beta2, weight_decay=t.weight_decay, warmup_iters=None, min_lr=None,
        grad_clip=t.grad_clip, alphabet="shannon27",
    )  # fmt: skip
    base |= RECIPES.get(getattr(args, "recipe", None) or "", {})
    out = {key: getattr(args, key, None) if getattr(args, key, None) is not None else value for key, value in base.items()}
    decay = getattr(args, "lr_decay_iters", None)
    if decay is not None and decay != out["steps"]:
        raise RecipeError(f"--lr-decay-iters must equal the steps ({out['steps']:,}): the cosine ends at the last step")
    return out


def configs(args: argparse.Namespace, vocab: int | None = None) -> tuple[dict, TextTrainConfig]:
    """(the resolved options, the training config); the model config needs the text's vocabulary."""
    o = resolve(args)
    capped = not getattr(args, "no_limits", False)
    train = TextTrainConfig(
        steps=o["steps"], batch_size=o["batch_size"], lr=o["lr"], weight_decay=o["weight_decay"], seed=args.seed,
        warmup_steps=o["warmup_iters"], min_lr=o["min_lr"], beta1=o["beta1"], beta2=o["beta2"], grad_clip=o["grad_clip"],
        capped=capped,
    )  # fmt: skip
    return o, train


def cmd_textmodel(args: argparse.Namespace) -> dict:
    """Train a text GPT on a built-in corpus or a file and compare it with the n-gram on held-out text."""
    check_heldout(args.heldout)
    o, train = configs(args)
    if not getattr(args, "no_limits", False) and o["context"] > MAX_TEXT_CONTEXT:
        raise RecipeError(f"--context must be 1..{MAX_TEXT_CONTEXT}, got {o['context']}")
    text = read_source(args)
    g = gpt_vs_ngram(
        text, o["alphabet"], o["context"], train, args.heldout, o["n_layer"], o["n_head"], o["n_embd"], capped=train.capped,
        board=getattr(args, "scoreboard", False), dropout=o["dropout"],
    )  # fmt: skip
    c = g.comparison
    model = TextGPTConfig(
        block_size=g.context, vocab_size=g.vocab, n_layer=o["n_layer"], n_head=o["n_head"], n_embd=o["n_embd"], capped=False
    )
    out = {
        "n_params": g.n_params,
        "vocab": g.vocab,
        "alphabet": o["alphabet"],
        "context": g.context,
        "steps": g.steps,
        "batch_size": train.batch_size,
        "training_flops": training_flops(model, train),
        "seconds": g.seconds,
        "seconds_per_step": g.seconds / g.steps,
        "tokens_per_second": g.tokens_per_second,
        "final_loss_bits": g.final_loss_bits,
        "heldout_examples": c.heldout_examples,
        "evaluated_examples": c.evaluated_examples,
        "gpt_bits": c.gpt_bits,
        "gpt_nats": c.gpt_bits * math.log(2),
        "ngram_bits": c.ngram_bits,
        "ngram_nats": c.ngram_bits * math.log(2),
        "seen": {"fraction": c.seen.fraction, "gpt_bits": c.seen.gpt_bits, "ngram_bits": c.seen.ngram_bits},
        "unseen": {"fraction": c.unseen.fraction, "gpt_bits": c.unseen.gpt_bits, "ngram_bits": c.unseen.ngram_bits},
    }
    if g.board is not None:
        out["scoreboard"] = _finite(dataclasses.asdict(g.board))
    return out


def _finite(value):
    """The board as strict JSON: an infinite cost (a probability of 0, see chain.zero_fraction) becomes None."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return None if isinstance(value, float) and math.isinf(value) else value
