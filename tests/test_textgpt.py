import argparse
import math

import numpy as np
import pytest
import torch

from core.cli.textmodel import add_textmodel_arguments, cmd_textmodel
from core.model import build_model, estimate_params
from core.text.corpus import builtin_text, split_point, symbolize
from core.text.ngram import context_sweep, example_bits
from core.text.sampling import kneser_ney, next_distribution, sample_gpt, sample_ngram
from core.text.textgpt import (
    MAX_EVAL_FLOPS,
    MAX_TEXT_FLOPS,
    TextGPTConfig,
    TextModelError,
    TextTrainConfig,
    compare_on_heldout,
    eval_positions,
    gpt_example_bits,
    learning_rate,
    train_text_model,
)

SMALL = dict(n_layer=1, n_head=2, n_embd=32)  # a model that trains in a second or two


@pytest.fixture(scope="module")
def docs27():
    """The first 60,000 symbols of the built-in corpus in Shannon's alphabet, split 90 / 10."""
    s = symbolize(builtin_text("python-docs"), "shannon27")
    ids = s.ids[:60_000]
    cut = split_point(len(ids), 0.1)
    return ids[:cut], ids[cut:]


@pytest.fixture(scope="module")
def docs_run(docs27):
    train, _ = docs27
    return train_text_model(train, TextGPTConfig(block_size=5, vocab_size=27, **SMALL), TextTrainConfig(steps=60, seed=3))


def test_forward_all_last_position_equals_forward():
    model = build_model(TextGPTConfig(block_size=12, vocab_size=50, n_layer=2, n_head=4, n_embd=32), seed=1)
    idx = torch.randint(0, 50, (7, 12), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.allclose(model.forward_all(idx)[:, -1], model(idx), rtol=0, atol=1e-6), "last position != forward"
        short = model.forward_all(idx)[:, 4]
        assert torch.allclose(short, model(idx[:, :5]), rtol=0, atol=1e-6), "position t sees only the first t+1 tokens"


def test_gpt_example_bits_are_the_last_position_cross_entropy(docs_run, docs27):
    _, heldout = docs27
    model, k = docs_run.model, 5
    bits = gpt_example_bits(model, heldout[:300])
    with torch.no_grad():
        for i in (k, k + 1, 150, 299):
            logits = model(torch.tensor([heldout[i - k : i].tolist()]))[0]
            ref = -torch.log_softmax(logits.double(), -1)[int(heldout[i])].item() / math.log(2)
            assert bits[i - k] == pytest.approx(ref, abs=1e-5), f"example {i}: the k symbols before it predict it"
    assert len(bits) == 300 - k, "one example per held-out position i >= k"


@pytest.mark.parametrize("k", [2, 4])
def test_both_models_reach_the_entropy_of_an_iid_source(k):
    p = np.array([0.5, 0.25, 0.125, 0.125])
    truth = float(-(p * np.log2(p)).sum())  # 1.75 bits
    ids = np.random.default_rng(7).choice(4, size=60_000, p=p)
    train, heldout = ids[:50_000], ids[50_000:]
    r = train_text_model(train, TextGPTConfig(block_size=k, vocab_size=4, **SMALL), TextTrainConfig(steps=300, lr=3e-3, seed=0))
    c = compare_on_heldout(r.model, train, heldout)
    # the sample's own entropy differs from 1.75 by ~0.01 over 10,000 examples; the models add their own error
    assert abs(c.ngram_bits - truth) < 0.04, f"n-gram {c.ngram_bits:.4f} bits vs the source's {truth}"
    assert abs(c.gpt_bits - truth) < 0.05, f"GPT {c.gpt_bits:.4f} bits vs the source's {truth}"


def test_seen_unseen_split_matches_the_ngram_sweep(docs_run, docs27):
    train, heldout = docs27
    c = compare_on_heldout(docs_run.model, train, heldout)
    (row,) = context_sweep(train, heldout, 27, [5])
    assert c.evaluated_examples == c.heldout_examples == row.heldout_examples, "every held-out example is scored"
    assert c.unseen.fraction == pytest.approx(row.heldout_unseen_fraction, abs=1e-12), "unseen share as the sweep counts it"
    assert c.seen.fraction + c.unseen.fraction == pytest.approx(1.0), "seen and unseen cover every example"
    assert c.ngram_bits == pytest.approx(row.heldout_bits, rel=1e-12), "the n-gram's cost is the sweep's"
    # by hand: every held-out example through the model's own forward, and a plain set of the training's 5-contexts
    k, h = 5, [int(x) for x in heldout]
    idx = torch.tensor([h[i - k : i] for i in range(k, len(h))])
    with torch.no_grad():
        logp = torch.cat([torch.log_softmax(docs_run.model(b).double(), dim=-1) for b in idx.split(4096)])
    direct = -logp[torch.arange(len(idx)), torch.tensor(h[k:])].numpy() / math.log(2)
    contexts = {tuple(int(x) for x in train[i - k : i]) for i in range(k, len(train))}
    seen = np.array([tuple(h[i - k : i]) in contexts for i in range(k, len(h))])
    assert c.gpt_bits == pytest.approx(direct.mean(), rel=1e-5), "overall GPT cost: the mean over every held-out example"
    assert c.unseen.gpt_bits == pytest.approx(direct[~seen].mean(), rel=1e-5), "over the never-seen contexts"
    assert c.seen.gpt_bits == pytest.approx(direct[seen].mean(), rel=1e-5), "over the seen ones"


def test_bits_per_character_for_multi_character_tokens(docs_run, docs27):
    train, heldout = docs27
    per_symbol = compare_on_heldout(docs_run.model, train, heldout)
    doubled = compare_on_heldout(docs_run.model, train, heldout, chars=[2] * 27)
    assert doubled.gpt_bits == pytest.approx(per_symbol.gpt_bits / 2), "two characters per token halve the bits per character"
    assert doubled.unseen.ngram_bits == pytest.approx(per_symbol.unseen.ngram_bits / 2), "so do the unseen n-gram bits"


def test_seed_reproducibility(docs27, docs_run):
    """Same seed must give bit-identical losses and scores; another seed must not."""
    train, heldout = docs27
    again = train_text_model(train, TextGPTConfig(block_size=5, vocab_size=27, **SMALL), TextTrainConfig(steps=60, seed=3))
    assert again.losses == docs_run.losses, "same seed, same losses to the last bit"
    assert compare_on_heldout(again.model, train, heldout) == compare_on_heldout(docs_run.model, train, heldout), "same scores"
    other = train_text_model(train, TextGPTConfig(block_size=5, vocab_size=27, **SMALL), TextTrainConfig(steps=60, seed=4))
    assert other.losses != docs_run.losses, "another seed gives other losses"
    assert np.array_equal(sample_gpt(docs_run.model, heldout[:5], 50, 1), sample_gpt(again.model, heldout[:5], 50, 1)), "samples"


@pytest.mark.parametrize("k", [0, 1, 3, 6])
def test_kneser_ney_distribution_matches_the_ngram_costs(docs27, k):
    train, heldout = docs27
    bits, _ = example_bits(train, heldout, 27, k)
    kn = kneser_ney(train, 27, k)
    for i in np.linspace(k, len(heldout) - 1, 60).astype(int):
        p = next_distribution(kn, heldout[:i])
        assert p.sum() == pytest.approx(1.0, abs=1e-12), "a distribution"
        assert -math.log2(p[heldout[i]]) == pytest.approx(bits[i - k], abs=1e-9), f"example {i} at k={k}"


def test_ngram_sample_follows_a_periodic_text():
    train = np.array([0, 1, 2, 3] * 500)
    out = sample_ngram(train, 4, 2, [0, 1], 200, seed=5)
    steps = np.diff(np.concatenate([[1], out])) % 4  # a rare slip shifts the phase; the period goes on from there
    assert (steps == 1).mean() > 0.95, "a periodic text's n-gram continues the period"
    assert np.array_equal(out, sample_ngram(train, 4, 2, [0, 1], 200, seed=5)), "same seed, same sample"
    assert not np.array_equal(sample_ngram(train, 4, 0, [], 200, 5), sample_ngram(train, 4, 0, [], 200, 6)), "seed matters"


def test_learning_rate_warms_up_then_decays():
    t = TextTrainConfig(steps=100, lr=1e-2)
    lrs = [learning_rate(t, s) for s in range(100)]
    assert lrs[0] == pytest.approx(2e-3) and lrs[4] == pytest.approx(1e-2), "5% linear warm-up"
    assert lrs[-1] == pytest.approx(1e-3, rel=0.01), "cosine decay to 10%"
    assert all(a >= b for a, b in zip(lrs[4:], lrs[5:], strict=False)), "decreasing after the warm-up"


def test_caps_give_specific_errors(docs27):
    train, heldout = docs27
    cases = [
        (lambda: TextGPTConfig(block_size=65), "textgpt.range"),
        (lambda: TextGPTConfig(vocab_size=8_192, n_embd=256), "textgpt.params"),
        (lambda: TextGPTConfig(n_embd=30, n_head=4), "textgpt.divisible"),
        (lambda: TextTrainConfig(steps=0), "textgpt.range"),
        (lambda: TextTrainConfig(batch_size=65), "textgpt.range"),
        (lambda: TextTrainConfig(lr=0), "textgpt.lr"),
        (lambda: TextTrainConfig(weight_decay=-1), "textgpt.range"),
        (lambda: train_text_model(train[:5], TextGPTConfig(block_size=8), TextTrainConfig()), "textgpt.too_short"),
        (lambda: train_text_model([0, 30] * 10, TextGPTConfig(block_size=2), TextTrainConfig()), "textgpt.vocab"),
        (lambda: sample_ngram(train, 27, 3, [1, 2], 5, 0), "textgpt.start"),
        (lambda: sample_gpt(build_model(TextGPTConfig(**SMALL), 0), [], 5, 0), "textgpt.start"),
    ]
    for fn, code in cases:
        with pytest.raises(TextModelError) as e:
            fn()
        assert e.value.code == code, f"expected {code}, got {e.value.code}: {e.value}"
    big = TextGPTConfig(block_size=64, vocab_size=27, n_layer=4, n_head=8, n_embd=128)
    with pytest.raises(TextModelError) as e:
        train_text_model(train, big, TextTrainConfig(steps=2_000))
    assert e.value.code == "textgpt.flops" and e.value.params["steps"] < 2_000, "the message suggests fewer steps"
    assert 6 * estimate_params(big) * e.value.params["steps"] * 64 * 64 <= MAX_TEXT_FLOPS, "the suggested steps fit"


def test_scoring_past_the_cap_uses_an_evenly_spaced_subset():
    config = TextGPTConfig(block_size=64, vocab_size=27, n_layer=4, n_head=8, n_embd=128)
    at = eval_positions(1_000_000, config)
    per_example = 2 * estimate_params(config) * 64
    assert len(at) * per_example <= MAX_EVAL_FLOPS * 1.001 and len(at) > 100, f"{len(at)} examples within the cap"
    assert at[0] == 0 and at[-1] == 999_999 and np.all(np.diff(at) > 0), "evenly spaced over all examples"
    assert np.array_equal(eval_positions(1_000, TextGPTConfig()), np.arange(1_000)), "all of them when they fit"


def test_cmd_textmodel_returns_the_documented_keys():
    parser = argparse.ArgumentParser()
    add_textmodel_arguments(parser)
    argv = ["--builtin", "python-docs", "--context", "4", "--steps", "20", "--n-layer", "1", "--n-embd", "32", "--n-head", "2"]
    a, b = (cmd_textmodel(parser.parse_args(argv)) for _ in range(2))
    keys = {"n_params", "context", "steps", "seconds", "tokens_per_second", "heldout_examples", "gpt_bits", "ngram_bits"}
    assert keys | {"seen", "unseen"} <= set(a), f"missing keys: {keys - set(a)}"
    assert set(a["seen"]) == set(a["unseen"]) == {"fraction", "gpt_bits", "ngram_bits"}, "the split's keys"
    timing = {"seconds", "seconds_per_step", "tokens_per_second"}
    assert {k: v for k, v in a.items() if k not in timing} == {k: v for k, v in b.items() if k not in timing}, "deterministic"


def test_gpt_vs_ngram_on_one_text():
    from core.text.versus import gpt_vs_ngram

    text = "the cat sat on the mat and the dog sat on the log " * 40
    g = gpt_vs_ngram(text, "shannon27", 3, TextTrainConfig(steps=2, seed=1), 0.1, 1, 2, 16, sample_chars=12)
    assert g.context == 3 and g.steps == 2 and g.vocab <= 27
    assert len(g.prompt) == 3 and len(g.gpt_sample) == 12 and len(g.ngram_sample) == 12
    assert g.comparison.heldout_examples > 0 and g.comparison.context == 3
    assert gpt_vs_ngram(text, "shannon27", 3, TextTrainConfig(steps=2, seed=1), 0.1, 1, 2, 16).gpt_sample == ""


def test_learning_rate_follows_nanogpts_get_lr_with_its_recipe():
    t = TextTrainConfig(steps=2000, lr=1e-3, warmup_steps=100, min_lr=1e-4, capped=False)

    def get_lr(it, warmup_iters=100, lr_decay_iters=2000, learning_rate=1e-3, min_lr=1e-4):  # nanoGPT's train.py, step it
        if it < warmup_iters:
            return learning_rate * (it + 1) / (warmup_iters + 1)
        ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)

    for step in (100, 500, 1000, 1999):  # after the warm-up the two agree exactly
        assert learning_rate(t, step) == pytest.approx(get_lr(step), rel=1e-12), step
    for step in (0, 50, 99):  # during it they differ by (w + 1) / w, about 1%
        assert learning_rate(t, step) == pytest.approx(get_lr(step) * 101 / 100, rel=1e-12), step


def test_weight_decay_and_clipping_as_in_nanogpt():
    from core.text.textgpt import param_groups

    model = build_model(TextGPTConfig(block_size=4, vocab_size=7, **SMALL), seed=0)
    decay, no_decay = param_groups(model, 0.1)
    names = {id(p): n for n, p in model.named_parameters()}
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() == 2 for p in decay["params"]) and all("ln" in names[id(p)] for p in no_decay["params"])
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters())), "every parameter once"
    x = np.random.default_rng(0).integers(0, 7, 400)
    clipped = train_text_model(x, TextGPTConfig(block_size=4, vocab_size=7, **SMALL), TextTrainConfig(steps=3, grad_clip=1e-6))
    free = train_text_model(x, TextGPTConfig(block_size=4, vocab_size=7, **SMALL), TextTrainConfig(steps=3))
    assert clipped.losses[0] == free.losses[0] and clipped.losses[2] != free.losses[2], "clipping changes the updates"


def test_the_comparison_reads_the_boards_gpt_scores_instead_of_scoring_again():
    """gpt_vs_ngram with a board scores the GPT's held-out examples once: the comparison from those scores is the
    comparison that scores them itself, to the bit; a score missing for a compared example is refused."""
    from core.text.scoreboard import gpt_costs
    from core.text.textgpt import TextGPTConfig, TextTrainConfig, compare_on_heldout, train_text_model

    s = symbolize(builtin_text("python-docs")[:60_000], "shannon27")
    cut = split_point(len(s.ids), 0.1)
    train_ids, heldout_ids = s.ids[:cut], s.ids[cut:]
    config = TextGPTConfig(block_size=5, vocab_size=s.vocab, n_layer=1, n_head=2, n_embd=16)
    model = train_text_model(train_ids, config, TextTrainConfig(steps=3, batch_size=4)).model
    costs = gpt_costs(model, train_ids, heldout_ids)
    assert compare_on_heldout(model, train_ids, heldout_ids, gpt_bits=costs.heldout) == compare_on_heldout(
        model, train_ids, heldout_ids
    )
    holes = costs.heldout.copy()
    holes[config.block_size + 3] = np.nan
    with pytest.raises(ValueError):
        compare_on_heldout(model, train_ids, heldout_ids, gpt_bits=holes)
