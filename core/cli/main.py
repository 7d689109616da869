"""Command-line entry point: `python -m core {states,train,chain,explain,presets,compare,text,vocab,textmodel,parallel}` [--json].

What it is: a thin layer that parses arguments, calls `core`, and prints JSON or a table.
Bad arguments give one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from core.arith.presets import preset_rows
from core.arith.statespace import state_space
from core.babygpt.data import ARTICLE_SEQUENCE, Sequence, parse_digits, parse_text
from core.babygpt.mixing import at_temperature, check_temperature, tempered
from core.babygpt.states import all_states, label
from core.babygpt.train import TrainConfig, check_training, train
from core.cli.parallel import add_parallel_arguments, cmd_parallel
from core.cli.text import add_text_arguments, cmd_text
from core.cli.textmodel import add_textmodel_arguments, cmd_textmodel
from core.cli.vocab import add_vocab_arguments, cmd_vocab
from core.model import GPTConfig


class UsageError(Exception):
    """Bad command-line input; its message is printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints usage + message; we want one line
        raise UsageError(message)


def cmd_states(args) -> dict:
    """V^k and the sum over lengths 1..k, exact, for --vocab and --context."""
    s = state_space(args.vocab, args.context)
    return {
        "vocab": s.vocab,
        "context": s.context,
        "states_digits": s.states.digits,
        "states_leading_digits": s.states.leading_digits,
        "states_log10": s.states.log10,
        "states_exact": s.states.exact,
        "all_lengths_digits": s.all_lengths.digits,
        "all_lengths_leading_digits": s.all_lengths.leading_digits,
        "all_lengths_log10": s.all_lengths.log10,
        "all_lengths_exact": s.all_lengths.exact,
        "bits_per_state": s.bits_per_state,
        "bytes_per_state": s.bytes_per_state,
        "kib_per_state": s.kib_per_state,
    }


def parse_sequence(text: str, vocab: int | None, mode: str) -> Sequence:
    """A digit sequence over 0..vocab-1 (mode 'digits') or free text (mode 'text')."""
    return parse_text(text) if mode == "text" else parse_digits(text, vocab)


def cmd_train(args) -> dict:
    """Train one BabyGPT; its transition table at init and after training."""
    seq = parse_sequence(args.sequence, args.vocab, args.mode)
    mc = _model_config(args, seq.vocab)
    tc = TrainConfig(steps=args.steps, lr=args.lr, weight_decay=args.weight_decay, seed=args.seed)
    check_training(mc, tc, len(seq.tokens))
    r = train(mc, tc, seq.tokens, snapshots=[0, tc.steps])
    return {
        "n_params": r.n_params,
        "vocab": seq.vocab,
        "tokens": list(seq.itos),
        "context": mc.block_size,
        "states": [label(s, seq.itos) for s in all_states(seq.vocab, mc.block_size)],
        "init_probs": r.snapshots[0].tolist(),
        "probs": r.snapshots[tc.steps].tolist(),
        "losses": list(r.losses),
        "final_loss": r.final_loss,
    }


def cmd_chain(args) -> dict:
    """One trained BabyGPT's chain at one step and temperature: its table, stationary distribution, entropy rate, mixing time."""
    seq = parse_sequence(args.sequence, args.vocab, args.mode)
    mc = _model_config(args, seq.vocab)
    tc = TrainConfig(steps=args.steps, lr=args.lr, weight_decay=args.weight_decay, seed=args.seed)
    step = tc.steps if args.step is None else args.step
    if not 0 <= step <= tc.steps:
        raise UsageError(f"--step must be 0..{tc.steps} (the training's steps), got {step}")
    check_temperature(args.temperature)
    check_training(mc, tc, len(seq.tokens))
    probs = train(mc, tc, seq.tokens, snapshots=[step]).snapshots[step]
    at = at_temperature(probs, args.temperature)
    return {
        "temperature": args.temperature,
        "step": step,
        "states": [label(s, seq.itos) for s in all_states(seq.vocab, mc.block_size)],
        "probs": tempered(probs, args.temperature).tolist(),
        "stationary": at.stationary.tolist(),
        "entropy_rate_bits": at.entropy_rate_bits,
        "mixing_steps": at.mixing.steps,
    }


def cmd_explain(args) -> dict:
    """One trained BabyGPT's arrows on every state beside the data's longest seen suffix; how often they agree; for
    every never-seen state what the simple rules say and which one the GPT is closest to."""
    import numpy as np

    from core.babygpt.explain import explain, explain_json, rule_states, rules, rules_json
    from core.babygpt.states import all_states
    from core.text.ngram import kneser_ney_rows

    seq = parse_sequence(args.sequence, args.vocab, args.mode)
    mc = _model_config(args, seq.vocab)
    tc = TrainConfig(steps=args.steps, lr=args.lr, weight_decay=args.weight_decay, seed=args.seed)
    check_training(mc, tc, len(seq.tokens))
    probs = train(mc, tc, seq.tokens, snapshots=[tc.steps]).snapshots[tc.steps]
    e = explain(seq.tokens, seq.vocab, mc.block_size, probs)
    states = all_states(seq.vocab, mc.block_size)
    kn = kneser_ney_rows(np.asarray(seq.tokens), seq.vocab, mc.block_size, [states[int(s)] for s in rule_states(e)])
    weighed, closest_counts = rules_json(rules(e, seq.tokens, kn), seq.itos, seq.vocab, mc.block_size)
    out = explain_json(e, seq.itos)
    by_state = {row["state"]: row for row in weighed}
    for row in out["states"]:  # null for a seen state (and past the first RULE_STATES never-seen ones)
        row["rules"] = by_state[row["state"]]["rules"] if row["state"] in by_state else None
        row["closest"] = by_state[row["state"]]["closest"] if row["state"] in by_state else None
    out["closest_counts"] = closest_counts
    return out


def _model_config(args, vocab: int) -> GPTConfig:
    return GPTConfig(
        block_size=args.context, vocab_size=vocab, n_layer=args.n_layer, n_head=args.n_head, n_embd=args.n_embd, bias=args.bias
    )


def cmd_presets(args) -> dict:
    """Bits per state of the published models."""
    return {"presets": preset_rows()}


def cmd_compare(args) -> dict:
    """The context sweep on one sequence."""
    from core.babygpt.compare import context_sweep, parse_range

    seq = parse_sequence(args.sequence, args.vocab, args.mode)
    lo, hi = parse_range(args.contexts)
    rows = context_sweep(seq, range(lo, hi + 1), TrainConfig(steps=args.steps, seed=args.seed))
    return {"rows": [r.numbers() for r in rows]}


def _table(result: dict) -> str:
    if "languages" in result:  # one table per language, under its header line
        return "\n\n".join(
            f"{part['language']}: {part['pairs']:,} pairs, {part['characters']:,} characters, {part['bytes']:,} bytes, "
            f"{part['symbols']:,} symbols\n" + _table({"rows": part["rows"]})
            for part in result["languages"]
        )
    states = result.get("states")
    if states and isinstance(states[0], dict):  # explain: one row per state, then the summary
        cols = [c for c in states[0] if c != "rules"]  # each rule's arrows: in --json
        cell = lambda x: " ".join(_fmt(v) for v in x) if isinstance(x, list) else _fmt(x)
        lines = ["\t".join(cols)] + ["\t".join(cell(r[c]) for c in cols) for r in states]
        counts = result.get("closest_counts") or {}
        summary = {k: v for k, v in result.items() if k not in ("states", "closest_counts")}
        summary |= {f"closest_{rule}": n for rule, n in counts.items()}
        return "\n".join(lines + [_table(summary)])
    rows = result.get("rows") or result.get("presets")
    if rows:
        cols = list(rows[0])
        lines = ["\t".join(cols)] + ["\t".join(_fmt(r[c]) for c in cols) for r in rows]
        return "\n".join(lines)
    lines = []
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], list):
            value = "; ".join(" ".join(f"{x:.4f}" for x in row) for row in value)
        elif isinstance(value, list):
            value = " ".join(_fmt(x) for x in value)
        elif isinstance(value, str) and len(value) > 80:
            value = f"{value[:40]}...{value[-20:]} ({len(value):,} digits)"
        lines.append(f"{key:28} {_fmt(value)}")
    return "\n".join(lines)


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.4f}"
    if isinstance(x, int) and not isinstance(x, bool):
        return f"{x:,}"
    return str(x)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    p = _Parser(prog="python -m core", description="BabyGPT Explorer: state spaces and tiny GPTs as Markov chains.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name, fn, help_):
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--json", action="store_true", help="print JSON instead of a table")
        sp.set_defaults(fn=fn)
        return sp

    s = add("states", cmd_states, "count the states of a vocabulary V and context k")
    s.add_argument("--vocab", type=int, required=True)
    s.add_argument("--context", type=int, required=True)

    d = TrainConfig()
    m = GPTConfig()
    for name, fn, help_ in (
        ("train", cmd_train, "train a BabyGPT and print its transition table"),
        ("compare", cmd_compare, "sweep the context length on one sequence"),
        ("chain", cmd_chain, "a trained BabyGPT's chain at a step and temperature, with its mixing time"),
        ("explain", cmd_explain, "never-seen states: the GPT's arrows beside the data's longest seen suffix"),
    ):
        t = add(name, fn, help_)
        t.add_argument("--sequence", default=ARTICLE_SEQUENCE)
        t.add_argument("--mode", choices=["digits", "text"], default="digits", help="digits 0..V-1, or free text")
        t.add_argument("--vocab", type=int, default=m.vocab_size, help="V for a digit sequence")
        t.add_argument("--steps", type=int, default=d.steps)
        t.add_argument("--seed", type=int, default=d.seed)
        if name in ("train", "chain", "explain"):
            t.add_argument("--context", type=int, default=m.block_size)
            t.add_argument("--n-layer", type=int, default=m.n_layer)
            t.add_argument("--n-head", type=int, default=m.n_head)
            t.add_argument("--n-embd", type=int, default=m.n_embd)
            t.add_argument("--bias", action="store_true", help="bias in the Linear layers")
            t.add_argument("--lr", type=float, default=d.lr)
            t.add_argument("--weight-decay", type=float, default=d.weight_decay)
            if name == "chain":
                t.add_argument("--temperature", type=float, default=1.0, help="T in (0, 5]: arrows softmax(logits / T)")
                t.add_argument("--step", type=int, default=None, help="the training step whose chain is shown (default: last)")
        else:
            t.add_argument("--contexts", default="1-4", help="a range of context lengths, e.g. 1-4")

    add("presets", cmd_presets, "bits per state of real models")
    add_text_arguments(add("text", cmd_text, "what a longer context buys on real text: counts, entropy, held-out cost"))
    add_vocab_arguments(add("vocab", cmd_vocab, "BPE vocabularies of several sizes on real text, at a fixed span of characters"))
    textmodel = add("textmodel", cmd_textmodel, "a GPT against the n-gram on held-out text, seen vs never-seen contexts")
    add_textmodel_arguments(textmodel)
    parallel = add("parallel", cmd_parallel, "the same text in English and Chinese: states, bits per character, byte and pair")
    add_parallel_arguments(parallel)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 2 with a one-line error on bad input."""
    try:
        args = build_parser().parse_args(argv)
        result = args.fn(args)
    except (UsageError, ValueError) as e:  # CoreError is a ValueError: every message is one line
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(result) if args.json else _table(result))
    return 0
