"""Train a text GPT that ships with the app and write it with its recipe and held-out scores.

Usage: python scripts/pretrain.py [--corpus python-docs|names] [--threads N] [--out DIR]
  python-docs: about 7 minutes on one core of a 2-core machine; names: about 15 minutes.

Writes core/text/shipped/<corpus>.pt (the weights, curve and per-example costs, as the result store keeps them)
and core/text/shipped/<corpus>.json (the spec, its key's digest, the budget, the learning curve and the board's
held-out bits per character). tests/test_pretrained.py checks that each shipped file reproduces those numbers.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from core.text import pretrained  # noqa: E402
from core.text.scoreboard import scoreboard  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(pretrained.SPECS), default="python-docs", help="which spec (default python-docs)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    ap.add_argument("--out", type=pathlib.Path, default=pretrained.SHIPPED, help="folder (default core/text/shipped)")
    args = ap.parse_args(argv)
    spec = pretrained.SPECS[args.corpus]
    p = pretrained.train_pretrained(spec, progress=_progress, threads=args.threads)
    s, train_ids, heldout_ids = pretrained.symbols_of(spec)
    board = scoreboard(train_ids, heldout_ids, s.vocab, spec.model.block_size, p.costs)
    args.out.mkdir(parents=True, exist_ok=True)
    weights, recipe = pretrained.files(spec, args.out)
    weights.write_bytes(pretrained.to_bytes(p))
    recipe.write_text(json.dumps(pretrained.recipe(p, board), indent=1) + "\n")
    print(f"{p.n_params:,} parameters, {p.seconds:.0f} s; held-out bits per character: GPT {board.gpt.overall:.3f}")
    return 0


def _progress(step: int, steps: int, loss: float) -> None:
    if step % 1_000 == 0 or step == steps:
        print(f"step {step:,} of {steps:,}: batch loss {loss / 0.6931471805599453:.3f} bits", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
