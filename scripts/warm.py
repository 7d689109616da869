"""Fill the result store with the default results, so a fresh server's first visitor trains nothing.

Usage: python scripts/warm.py [--store DIR] [--pretrained]   (default: $BABYGPT_STORE, else <repo>/.store)

What it is: trains the article's BabyGPT (the overview page's model) and puts it into the store
under `core.store.train_key`, serialised with torch.save as a dict of plain values:
{"losses", "final_loss", "snapshots", "state_dict", "n_params", "seconds"}. Run at image build
time and safe to rerun (a rerun replaces the value with identical numbers). With --pretrained it also trains the
"Vocabulary & GPT" page's GPT trained beforehand (`core.text.pretrained`, minutes of CPU: the image build passes
it; a server started without it trains that model in the background once it is up).

What it is not: the reader of the store (the app's cache layer is), nor a general batch trainer.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))


from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits  # noqa: E402
from core.babygpt.train import TrainConfig, result_to_bytes, train  # noqa: E402
from core.model import GPTConfig  # noqa: E402
from core.store import ResultStore, store_from_env, train_key  # noqa: E402


def default_runs() -> list[tuple[GPTConfig, TrainConfig, tuple[int, ...]]]:
    """The configurations a first visit computes: the article's model on the article's sequence."""
    return [(GPTConfig(), TrainConfig(), parse_digits(ARTICLE_SEQUENCE, 2).tokens)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=pathlib.Path, help="store directory (default: $BABYGPT_STORE, else <repo>/.store)")
    ap.add_argument("--pretrained", action="store_true", help="also the long text GPT (core.text.pretrained): minutes")
    args = ap.parse_args(argv)
    store = ResultStore(args.store) if args.store else store_from_env()
    if store is None:
        print("no usable store directory: set BABYGPT_STORE or pass --store", file=sys.stderr)
        return 1
    for model_config, train_config, tokens in default_runs():
        t = time.perf_counter()
        key = train_key(model_config, train_config, tokens)
        if store.get(key) is not None:
            print(f"already stored {store.path(key).name}")
            continue
        data = result_to_bytes(train(model_config, train_config, tokens))
        store.put(key, data)
        if store.get(key) != data:
            print(f"the store at {store.root} did not keep the value (larger than its bound?)", file=sys.stderr)
            return 1
        print(f"stored {store.path(key).name}: {len(data):,} bytes in {time.perf_counter() - t:.2f} s")
    if args.pretrained:  # the text GPT trained beforehand, one block: core.text.pretrained
        from core.text import pretrained

        t, key = time.perf_counter(), pretrained.pretrained_key(pretrained.PRETRAINED)
        if pretrained.shipped() is not None:
            print(f"shipped with the app: {pretrained.files(pretrained.PRETRAINED)[0]}")
        elif store.get(key) is not None:
            print(f"already stored {store.path(key).name}")
        else:
            store.put(key, pretrained.to_bytes(pretrained.train_pretrained()))
            if store.get(key) is None:
                print(f"the store at {store.root} did not keep the pretrained text GPT", file=sys.stderr)
                return 1
            print(f"stored {store.path(key).name}: the pretrained text GPT in {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
