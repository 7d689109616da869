"""What one BabyGPT training costs: CPU seconds of `core.babygpt.train.train` for the trainings the app runs most.

Usage: python benchmarks/bench_train.py [--before DIR] [--reps 3]

Rows: the article's model (50 steps, its 51 snapshots), the load test's learners' configurations
(benchmarks/load_test.py's `config`: k = 2, 3, 4, 300-340 steps on a 64-token sequence, every snapshot the page
keeps), and k = 5. Each code tree trains in a child process of its own (one thread, as the app trains), the trees
taking turns rep by rep so a busy moment hits both; the table gives each row's median CPU seconds and, with --before,
the other tree's beside it and the ratio. Each run also checks that both trees' losses are equal to the last bit.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from load_test import config  # noqa: E402


def learner(i: int) -> dict:
    """Load test learner i's training (benchmarks/load_test.py's `config`)."""
    c = config(i)
    return {"k": int(c["k"]), "steps": int(c["steps"]), "seed": int(c["seed"]), "seq": c["seq"]}


ROWS = {"article's model: 50 steps, 51 snapshots": {"k": 3, "steps": 50, "seed": 1337, "seq": "111101111011110"}}
ROWS |= {f"load test learner {i}: k = {learner(i)['k']}, {learner(i)['steps']} steps": learner(i) for i in range(3)}
ROWS["k = 5, 300 steps"] = {"k": 5, "steps": 300, "seed": 7, "seq": "1101001110010111" * 4}

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
out = {}
for name, c in json.loads(sys.argv[2]).items():
    tokens = tuple(int(x) for x in c["seq"])
    train(GPTConfig(block_size=c["k"]), TrainConfig(steps=2), tokens)  # the process's first training: not timed
    t = time.process_time()
    r = train(GPTConfig(block_size=c["k"]), TrainConfig(steps=c["steps"], seed=c["seed"]), tokens)
    out[name] = [time.process_time() - t, list(r.losses)]
print(json.dumps(out))
"""


def measure(root: pathlib.Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), json.dumps(ROWS)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=pathlib.Path, help="another checkout, measured beside this one")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    trees = {"now": HERE} | ({"before": args.before.resolve()} if args.before else {})
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.reps):
        for name, root in trees.items():
            runs[name].append(measure(root))
    print(f"median CPU seconds of one training over {args.reps} runs (one thread)")
    head = f"{'training':<48} {'now':>8}"
    print(head + (f" {'before':>8} {'now / before':>13}  losses equal" if args.before else ""))
    differ = 0
    for row in ROWS:
        now = statistics.median(r[row][0] for r in runs["now"])
        line = f"{row:<48} {now:>8.3f}"
        if args.before:
            before = statistics.median(r[row][0] for r in runs["before"])
            equal = all(a[row][1] == b[row][1] for a, b in zip(runs["now"], runs["before"], strict=True))
            line += f" {before:>8.3f} {now / before:>13.2f}  {'yes' if equal else 'NO'}"
            differ += not equal
        print(line)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
