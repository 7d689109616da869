"""The GPT trained beforehand: its curve's last point against a direct scoring of the model, its file round trip."""

import dataclasses

import numpy as np
import pytest
import torch

from core.text import pretrained
from core.text.textgpt import gpt_example_bits


def small_spec():
    base = pretrained.PRETRAINED
    return dataclasses.replace(
        base,
        model=dataclasses.replace(base.model, block_size=8, n_layer=1, n_head=2, n_embd=32),
        train=dataclasses.replace(base.train, steps=30, warmup_steps=3, batch_size=8),
        heldout_examples=500,
    )


def test_the_curve_ends_at_the_models_own_cost_and_the_file_gives_back_the_same_model():
    spec = small_spec()
    p = pretrained.train_pretrained(spec)
    s, train_ids, heldout_ids = pretrained.symbols_of(spec)
    k = spec.model.block_size
    at = pretrained.curve_positions(spec, len(heldout_ids) - k)
    assert len(at) == pretrained.CURVE_EXAMPLES, "the spec's default"
    direct = float(gpt_example_bits(p.model, heldout_ids, at, 1).mean())
    assert p.curve[-1].step == spec.train.steps and abs(p.curve[-1].bits - direct) < 1e-9, "the last point is the final model"
    assert p.curve[-1].chars == spec.train.steps * spec.train.batch_size * k
    assert p.curve[-1].flops == 6.0 * p.model.n_params() * p.curve[-1].chars

    q = pretrained.from_bytes(pretrained.to_bytes(p), spec)
    x = torch.tensor(heldout_ids[:k], dtype=torch.long)[None]
    with torch.no_grad():
        assert torch.equal(p.model.eval()(x)[0], q.model(x)[0]), "the same weights give the same logits"
    assert np.array_equal(p.costs.heldout, q.costs.heldout, equal_nan=True)
    assert np.array_equal(p.costs.fit, q.costs.fit, equal_nan=True), "unscored positions stay NaN, scored ones equal"
    assert q.curve == p.curve and (q.n_params, q.flops) == (p.n_params, p.flops)


@pytest.mark.slow
@pytest.mark.parametrize("corpus", sorted(pretrained.SPECS))
def test_the_shipped_model_reproduces_its_recorded_scores(corpus):
    """core/text/shipped: the file scripts/pretrain.py wrote, scored again here, gives the numbers recorded beside it."""
    import hashlib
    import json

    from core.text.scoreboard import gpt_costs, scoreboard
    from core.text.textgpt import gpt_example_bits

    spec = pretrained.SPECS[corpus]
    meta = json.loads(pretrained.files(spec)[1].read_text())
    assert meta["key_sha256"] == hashlib.sha256(pretrained.pretrained_key(spec).encode()).hexdigest(), "this very spec"
    p = pretrained.shipped(spec)
    assert p is not None and p.n_params == meta["n_params"] == p.model.n_params()
    s, train_ids, heldout_ids = pretrained.symbols_of(spec)
    costs = gpt_costs(p.model, train_ids, heldout_ids, 1, spec.heldout_examples)
    for got, kept in ((costs.heldout, p.costs.heldout), (costs.fit, p.costs.fit)):
        assert np.array_equal(np.isnan(got), np.isnan(kept)) and np.allclose(got, kept, rtol=1e-6, equal_nan=True)
    board = scoreboard(train_ids, heldout_ids, s.vocab, spec.model.block_size, costs)
    kept = pretrained.shipped_board(spec)
    assert kept is not None and kept.context == board.context and kept.best_k == board.best_k
    assert kept.examples == board.examples and kept.fit_examples == board.fit_examples
    flat = lambda b: [float(x) for x in _numbers(dataclasses.asdict(b))]  # noqa: E731
    assert flat(kept) == pytest.approx(flat(board), rel=1e-6), "the page's board is the one counted again here"
    for name, c in (("gpt", board.gpt), ("kneser_ney", board.kn), ("mixed", board.mix)):
        for got, kept in zip((c.overall, c.seen, c.unseen), meta[name].values(), strict=True):  # None: no such example
            assert got == kept if kept is None else got == pytest.approx(kept, rel=1e-6), name
    assert 1 - board.seen_fraction == pytest.approx(meta["unseen_fraction"])
    at = pretrained.curve_positions(spec, len(heldout_ids) - spec.model.block_size)
    last = meta["curve"][-1]
    assert last["step"] == spec.train.steps
    assert float(gpt_example_bits(p.model, heldout_ids, at, 1).mean()) == pytest.approx(last["bits"], rel=1e-6)
    if corpus == "names":  # where the GPT wins: by at least 0.1 bits over the best count table, overall and never-seen
        assert board.kn_best.overall - board.gpt.overall >= 0.1, (board.kn_best, board.gpt)
        assert board.kn_best.unseen - board.gpt.unseen >= 0.1, (board.kn_best, board.gpt)
        assert board.best_unseen_fraction > 0 and board.seen_fraction < 0.05, "k = 16 spans names: nearly all never seen"
        assert last["bits"] == pytest.approx(board.gpt.overall, rel=1e-6), "its curve ends at the board's own number"
        bits, n = pretrained.table_on_curve(p, board.best_k)
        assert n == board.examples and bits == pytest.approx(board.kn_best.overall, rel=1e-6), "the same examples"


def test_the_names_recipe_was_chosen_on_the_validation_slice():
    """The names GPT's curve records the validation slice at every checkpoint (what its steps were chosen from), and
    the command line's `--recipe names` is that very spec."""
    import json

    from core.cli.textmodel import RECIPES

    spec = pretrained.NAMES
    curve = json.loads(pretrained.files(spec)[1].read_text())["curve"]
    assert curve and all(c["validation_bits"] is not None for c in curve)
    r = RECIPES["names"]
    assert (r["context"], r["n_layer"], r["n_head"], r["n_embd"], r["dropout"]) == (
        spec.model.block_size, spec.model.n_layer, spec.model.n_head, spec.model.n_embd, spec.model.dropout,
    )  # fmt: skip
    assert (r["steps"], r["batch_size"], r["lr"], r["min_lr"], r["alphabet"]) == (
        spec.train.steps, spec.train.batch_size, spec.train.lr, spec.train.min_lr, spec.alphabet,
    )  # fmt: skip


def _numbers(value):
    """Every number in a nested dict of a dataclass, in order (None skipped)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif value is not None:
        yield value
