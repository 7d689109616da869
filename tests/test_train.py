import threading

import numpy as np
import pytest

from core.babygpt.data import parse_digits, parse_text
from core.babygpt.limits import MAX_STEPS, MAX_TRAIN_FLOPS, LimitError
from core.babygpt.train import TrainConfig, check_training, snapshot_steps, train, training_cost
from core.model import GPTConfig


def test_article_losses(article_run):
    assert len(article_run.losses) == 50
    assert abs(article_run.losses[0] - 0.6635) < 5e-5, "loss 0.6635 at step 0"
    assert abs(article_run.losses[-1] - 0.470) < 5e-4, "loss near 0.470 at the end"


def test_article_arrows_after_50_steps(article_run):
    P = article_run.snapshots[50]
    assert abs(P[0b101, 1] - 0.79) < 0.005, "101 -> 011 at 79%"
    assert abs(P[0b111, 1] - 0.45) < 0.005 and abs(P[0b111, 0] - 0.55) < 0.005, "111 -> 111 / 110 at 45% / 55%"
    assert abs(P[0b000, 1] - 0.73) < 0.005, "never-seen 000 -> 001 at 73%"


def test_init_snapshot_is_near_uniform(article_run):
    P0 = article_run.snapshots[0]
    assert abs(P0[0, 1] - 0.50366) < 1e-5 and abs(P0[1, 1] - 0.54843) < 1e-5
    assert np.allclose(P0.sum(axis=1), 1)


def test_snapshots_are_monotone_in_time(article_run):
    """Each snapshot is a distinct table; the 101 arrow grows over training."""
    p101 = [article_run.snapshots[s][5, 1] for s in range(51)]
    assert p101[-1] > p101[25] > p101[0]


def test_deterministic_under_concurrency(article_sequence):
    cfgs = [(GPTConfig(), TrainConfig(seed=s, steps=20)) for s in (1, 2, 3, 1337)]
    alone = [train(m, t, article_sequence.tokens).losses for m, t in cfgs]
    together = [None] * len(cfgs)

    def work(i):
        together[i] = train(*cfgs[i], article_sequence.tokens).losses

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(cfgs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert together == alone, "concurrent trainings must give the numbers they give alone"
    assert alone[0] != alone[1], "different seeds give different runs"


def test_progress_callback(article_sequence):
    calls = []
    train(GPTConfig(), TrainConfig(steps=5), article_sequence.tokens, progress=lambda s, n, loss: calls.append((s, n)))
    assert calls == [(i, 5) for i in range(1, 6)]


def test_text_training_with_larger_vocab():
    seq = parse_text("hello world, hello markov")
    r = train(GPTConfig(vocab_size=seq.vocab, block_size=2), TrainConfig(steps=10), seq.tokens)
    assert r.snapshots[10].shape == (seq.vocab**2, seq.vocab)
    assert r.losses[-1] < r.losses[0]


def test_snapshot_steps_bounded():
    assert snapshot_steps(50, 16) == list(range(51))
    s = snapshot_steps(2000, 65536 * 2)
    assert s[0] == 0 and s[-1] == 2000 and len(s) * 65536 * 2 <= 2_000_000 + 65536 * 2


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(steps=MAX_STEPS + 1), "steps"),
        (dict(lr=0), "learning rate"),
        (dict(seed=-1), "seed"),
        (dict(weight_decay=-1), "decay"),
    ],
)
def test_bad_train_config(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)


def test_budget_rejects_huge_training():
    big = GPTConfig(vocab_size=2, block_size=16, n_layer=8, n_embd=128, n_head=4)
    with pytest.raises(LimitError, match="operations") as e:
        check_training(big, TrainConfig(steps=2000), 5000)
    assert e.value.code == "limit.flops" and e.value.params["flops"] > MAX_TRAIN_FLOPS
    check_training(GPTConfig(), TrainConfig(), 15)


def test_seeds_times_cost_is_limited():
    """A training that fits alone can be refused as a batch of seeds: the cap is on the seeds' total."""
    cfg, tc, n = GPTConfig(), TrainConfig(steps=500), 1003
    one = training_cost(cfg, n - 3, tc.steps)
    assert one < MAX_TRAIN_FLOPS < one * 16, "the case sits between one training and sixteen"
    check_training(cfg, tc, n, n_seeds=1)
    with pytest.raises(LimitError) as e:
        check_training(cfg, tc, n, n_seeds=16)
    assert e.value.code == "limit.seeds_flops", e.value
    with pytest.raises(LimitError, match="seeds"):
        check_training(GPTConfig(), TrainConfig(), 15, n_seeds=17)


def direct_param_count(cfg: GPTConfig) -> int:
    """Every parameter tensor of a freshly built model, counted once by its storage (the tied head is the embedding)."""
    from core.model import GPT

    tensors = {p.data_ptr(): p.numel() for _, p in GPT(cfg).named_parameters(remove_duplicate=False)}
    return sum(tensors.values())


@pytest.mark.parametrize(
    "cfg",
    [GPTConfig(), GPTConfig(bias=True), GPTConfig(vocab_size=5, block_size=2, n_layer=2, n_head=2, n_embd=8)],
    ids=["article", "bias", "small"],
)
def test_training_cost_is_six_params_tokens_steps(cfg):
    n, steps = 12, 50
    assert training_cost(cfg, n, steps) == 6 * direct_param_count(cfg) * n * cfg.block_size * steps


def test_the_article_model_has_12_656_parameters():
    assert direct_param_count(GPTConfig()) == 12_656, "the article's count"


def test_token_outside_vocabulary_is_refused():
    with pytest.raises(ValueError, match="outside the vocabulary"):
        train(GPTConfig(vocab_size=2), TrainConfig(steps=1), (0, 1, 2, 1, 0))


def test_sequence_too_short_for_context():
    with pytest.raises(ValueError, match="not longer than the context"):
        train(GPTConfig(), TrainConfig(), parse_digits("101", 2).tokens)


def test_numbers_do_not_depend_on_the_thread(article_sequence):
    """torch keeps an intra-op thread count per thread; whatever a thread's count, results are the same."""
    import torch

    cfg = (GPTConfig(), TrainConfig(steps=30, seed=3))
    before = torch.get_num_threads()
    results = {}

    def run(n):
        torch.set_num_threads(n)  # as another session's thread might have left it
        results[n] = train(*cfg, article_sequence.tokens).losses

    try:
        for n in (1, 2):
            t = threading.Thread(target=run, args=(n,))
            t.start()
            t.join()
    finally:
        torch.set_num_threads(before)
    assert results[1] == results[2], "same config, same numbers, whatever the thread count"


def plain_adamw_training(model_config: GPTConfig, train_config: TrainConfig, tokens: tuple[int, ...]):
    """The notebook's loop with torch's own AdamW: the reference `train` must equal bit for bit."""
    import torch
    from torch.nn import functional as F

    from core.babygpt.data import make_examples
    from core.model import build_model
    from core.threads import TRAIN_THREADS, pin_threads

    X, Y = make_examples(tokens, model_config.block_size)
    pin_threads(TRAIN_THREADS)
    model = build_model(model_config, train_config.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=train_config.lr, weight_decay=train_config.weight_decay)
    losses = []
    for _ in range(train_config.steps):
        loss = F.cross_entropy(model(X), Y)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
    return model, losses


@pytest.mark.parametrize(
    "model_config, train_config, text",
    [
        (GPTConfig(), TrainConfig(), "111101111011110"),  # the article's
        (GPTConfig(block_size=5), TrainConfig(steps=120, seed=105), "1101001110010111" * 4),
        (
            GPTConfig(vocab_size=3, block_size=2, n_embd=8, n_head=2, n_layer=2),
            TrainConfig(steps=80, lr=0.02, weight_decay=0.0),
            "0120210112002",
        ),
        (GPTConfig(block_size=1, bias=True), TrainConfig(steps=60, lr=0.3, weight_decay=2.5, seed=7), "0110100110"),
    ],
)  # fmt: skip
def test_training_equals_torch_adamw_bit_for_bit(model_config, train_config, text):
    """`train` updates every parameter at once (core.babygpt.adamw); every loss and weight is still torch's AdamW's."""
    import torch

    tokens = tuple(int(c) for c in text)
    result = train(model_config, train_config, tokens, snapshots=[])
    reference, losses = plain_adamw_training(model_config, train_config, tokens)
    assert list(result.losses) == losses, "a loss differs from torch's AdamW's"
    mine, theirs = result.model.state_dict(), reference.state_dict()
    assert mine.keys() == theirs.keys()
    for name in mine:
        assert torch.equal(mine[name], theirs[name]), f"{name} differs from torch's AdamW's"
    for p in result.model.parameters():
        assert p.grad is None and p.untyped_storage().nbytes() == p.numel() * p.element_size(), "a parameter kept a view"
