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
    n = len(heldout_ids) - k
    at = np.unique(np.linspace(0, n - 1, min(n, pretrained.CURVE_EXAMPLES)).round().astype(np.int64))
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
def test_the_shipped_model_reproduces_its_recorded_scores():
    """core/text/shipped: the file scripts/pretrain.py wrote, scored again here, gives the numbers recorded beside it."""
    import hashlib
    import json

    from core.text.scoreboard import gpt_costs, scoreboard
    from core.text.textgpt import gpt_example_bits

    spec = pretrained.PRETRAINED
    meta = json.loads((pretrained.SHIPPED / "pretrained.json").read_text())
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
        assert [c.overall, c.seen, c.unseen] == pytest.approx(list(meta[name].values()), rel=1e-6), name
    assert 1 - board.seen_fraction == pytest.approx(meta["unseen_fraction"])
    n = len(heldout_ids) - spec.model.block_size
    at = np.unique(np.linspace(0, n - 1, min(n, pretrained.CURVE_EXAMPLES)).round().astype(np.int64))
    last = meta["curve"][-1]
    assert last["step"] == spec.train.steps
    assert float(gpt_example_bits(p.model, heldout_ids, at, 1).mean()) == pytest.approx(last["bits"], rel=1e-6)


def _numbers(value):
    """Every number in a nested dict of a dataclass, in order (None skipped)."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif value is not None:
        yield value
