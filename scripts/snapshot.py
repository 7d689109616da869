"""What every page says and every CLI command prints, written to a folder: two checkouts' folders compared show
whether a change kept the numbers.

Usage:
    python scripts/snapshot.py OUT [--root CHECKOUT] [--pages overview,compare] [--no-cli]
    python scripts/snapshot.py --compare A B

Each page and tab, in both languages, runs headless (Streamlit's AppTest) on its defaults: its Markdown, captions,
metrics, messages, code blocks and tables (as CSV) go to OUT/pages/<lang>_<page>_<tab>.json, with the length of each
graph frame. Each CLI command's --json output goes to OUT/cli/<command>.json. `--compare` lists what differs; a
figure that is a wall time (the own-GPT tab's seconds) differs between two runs of the same code too.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys

TABS = {
    "overview": ("", [""]),
    "train_explore": ("tab", ["graph", "table", "lengths", "sample", "long_run", "unseen"]),
    "compare": ("c_tab", ["sweep", "bits", "side", "seeds"]),
    "real_text": ("rt_tab", ["contexts", "shannon", "chain"]),
    "text_models": ("tm_tab", ["board", "own", "vocab"]),
    "parallel": ("pl_tab", ["sizes", "states", "bits", "bpe"]),
    "state_space": ("ss_tab", ["article", "models", "growth", "machines"]),
}
CLI = {
    "states": ["states", "--vocab", "2", "--context", "3"],
    "states_gpt4": ["states", "--vocab", "100277", "--context", "32768"],
    "presets": ["presets"],
    "train": ["train"],
    "chain": ["chain"],
    "explain": ["explain"],
    "compare": ["compare"],
    "text": ["text", "--builtin", "names"],
    "parallel": ["parallel"],
    "vocab": ["vocab", "--builtin", "names"],
}


def pages(root: pathlib.Path, out: pathlib.Path, only: list[str]) -> None:
    from streamlit.testing.v1 import AppTest

    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh"):
        for page, (key, tabs) in TABS.items():
            if only and page not in only:
                continue
            for tab in tabs:
                at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
                at.switch_page(f"pages/{page}.py")
                at.query_params["lang"] = lang
                if tab:
                    at.query_params[key] = tab
                at.run()
                shown = {
                    "exception": [e.value for e in at.exception],
                    "error": [e.value for e in at.error],
                    "title": [e.value for e in at.title] + [e.value for e in at.subheader],
                    "markdown": [e.value for e in at.markdown],
                    "caption": [e.value for e in at.caption],
                    "metric": [(e.label, e.value) for e in at.metric],
                    "message": [e.value for kind in ("info", "warning", "success") for e in getattr(at, kind)],
                    "table": [e.value.to_csv() for e in at.dataframe] + [e.value.to_csv() for e in at.table],
                    "code": [e.value for e in at.code],
                    "frame_bytes": [len(e.proto.srcdoc) for e in at.get("iframe")],
                }
                name = f"{lang}_{page}_{tab or 'page'}.json"
                (out / name).write_text(json.dumps(shown, ensure_ascii=False, indent=1))
                print(name, flush=True)


def cli(root: pathlib.Path, out: pathlib.Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, args in CLI.items():
        run = subprocess.run([sys.executable, "-m", "core", *args, "--json"], cwd=root, capture_output=True, check=True)
        (out / f"{name}.json").write_bytes(run.stdout)
        print(f"cli {name}", flush=True)


def compare(a: pathlib.Path, b: pathlib.Path) -> int:
    """Print every file and field that differs between two snapshots; the number of differences."""
    differ = 0
    for fa in sorted(a.rglob("*.json")):
        fb = b / fa.relative_to(a)
        if not fb.exists():
            print(f"only in {a}: {fa.relative_to(a)}")
            differ += 1
        elif fa.parent.name == "cli":
            if fa.read_bytes() != fb.read_bytes():
                print(f"differs: {fa.relative_to(a)}")
                differ += 1
        else:
            x, y = json.loads(fa.read_text()), json.loads(fb.read_text())
            for field in x:
                if x[field] != y.get(field):
                    print(f"differs: {fa.relative_to(a)} {field}")
                    differ += 1
    return differ


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=pathlib.Path)
    ap.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parents[1])
    ap.add_argument("--pages", default="", help="comma-separated page names (default: every page)")
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--compare", nargs=2, type=pathlib.Path, metavar=("A", "B"))
    args = ap.parse_args(argv)
    if args.compare:
        return 1 if compare(*args.compare) else 0
    if args.out is None:
        ap.error("OUT is required unless --compare")
    root = args.root.resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    os.environ.setdefault("BABYGPT_PRETRAIN", "off")
    pages(root, args.out / "pages", [p for p in args.pages.split(",") if p])
    if not args.no_cli:
        cli(root, args.out / "cli")
    return 0


if __name__ == "__main__":
    sys.exit(main())
