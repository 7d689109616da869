"""Benchmark of the "One text, two languages" page's two jobs: both sweeps (k = 0..8) and the BPE vocabularies.

Usage: python benchmarks/bench_parallel.py
Each job runs once per server process (ui.cache keeps its result for every session); this prints what that once
costs, best of a few runs for the sweep, one run for the tokenizers. Absolute times drift on shared machines.
"""

from __future__ import annotations

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from core.text.parallel import bpe_compare, compare  # noqa: E402

SIZES = (256, 1024, 4096, 8192)  # the page's (core.pages.parallel.SIZES)


def main() -> None:
    compare(0.1, range(1))  # read both corpora once
    times = []
    for _ in range(3):
        t = time.perf_counter()
        p = compare(0.1, range(9))
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    bpe_compare(SIZES, 0.1)
    bpe = time.perf_counter() - t
    print("job\tseconds")
    print(f"sweep k = 0..8, both languages ({p.en.characters:,} + {p.zh.characters:,} characters)\t{min(times):.2f}")
    print(f"BPE {', '.join(f'{s:,}' for s in SIZES)} on both training parts\t{bpe:.2f}")


if __name__ == "__main__":
    main()
