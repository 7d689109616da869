import threading

import pytest
import torch
from torch.nn import functional as F

from core.babygpt.limits import LimitError, check_model
from core.babygpt.train import TrainConfig, check_training
from core.errors import ConfigError
from core.model import GPT, GPTConfig, build_model, estimate_params


def test_article_parameter_count():
    assert build_model(GPTConfig(), 1337).n_params() == 12_656, "the article's 12,656 parameters"


@pytest.mark.parametrize(
    "cfg",
    [
        GPTConfig(),
        GPTConfig(vocab_size=5, block_size=7, n_layer=2, n_head=2, n_embd=8, bias=True),
        GPTConfig(n_layer=1, n_head=1),
    ],
)
def test_parameter_estimate_matches_model(cfg):
    assert estimate_params(cfg) == build_model(cfg, 0).n_params()


def test_structure_details():
    m = build_model(GPTConfig(), 1337)
    assert m.lm_head.weight is m.transformer.wte.weight, "head tied to the token embedding"
    assert m.transformer.h[0].attn.c_attn.bias is None, "bias=False: no bias in Linear layers"
    assert m.transformer.h[0].ln_1.bias is not None, "LayerNorms keep their bias"


def test_init_arrows_match_article():
    m = build_model(GPTConfig(), 1337)
    with torch.no_grad():
        p = F.softmax(m(torch.tensor([[0, 0, 0], [0, 0, 1]])), dim=-1)[:, 1]
    assert abs(p[0].item() - 0.50366) < 1e-5, "000 -> P(1) = 0.50366 at init"
    assert abs(p[1].item() - 0.54843) < 1e-5, "001 -> P(1) = 0.54843 at init"


def test_forward_all_last_position_equals_forward():
    m = build_model(GPTConfig(vocab_size=3, block_size=4), 7)
    x = torch.randint(0, 3, (10, 4), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert m.forward_all(x).shape == (10, 4, 3)
        assert torch.allclose(m.forward_all(x)[:, -1], m(x), atol=1e-6)
        assert m(x).shape == (10, 3)


def test_seed_reproducibility_across_threads():
    """Same seed must produce identical weights, also when many builds run at once."""
    ref = {s: build_model(GPTConfig(), s).state_dict() for s in range(6)}
    got = {}

    def work(s):
        got[s] = build_model(GPTConfig(), s).state_dict()

    threads = [threading.Thread(target=work, args=(s,)) for s in range(6) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in range(6):
        for name, w in ref[s].items():
            assert torch.equal(w, got[s][name]), f"seed {s}, {name}"
    assert not torch.equal(ref[0]["lm_head.weight"], ref[1]["lm_head.weight"]), "other seeds give other weights"


def test_build_does_not_disturb_global_generator():
    torch.manual_seed(42)
    a = torch.rand(3)
    torch.manual_seed(42)
    build_model(GPTConfig(), 1337)
    assert torch.equal(torch.rand(3), a)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(n_embd=10, n_head=4), "divisible"),
        (dict(vocab_size=0), "vocabulary"),
        (dict(block_size=0), "context"),
        (dict(n_layer=2.5), "n_layer"),
        (dict(n_head=True), "n_head"),
    ],
)
def test_bad_config_messages(kwargs, message):
    """The config checks only its shape: whole sizes of at least 1, heads dividing the width."""
    with pytest.raises(ConfigError, match=message):
        GPTConfig(**kwargs)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(vocab_size=65), "vocabulary"),
        (dict(block_size=17), "context"),
        (dict(n_layer=9), "n_layer"),
        (dict(n_embd=256, n_head=4), "n_embd"),
    ],
)
def test_caps_are_the_page_s_not_the_shape_s(kwargs, message):
    """A big model is a valid shape (the text GPT uses one); the BabyGPT pages' caps refuse it before any training."""
    config = GPTConfig(**kwargs)
    with pytest.raises(LimitError, match=message):
        check_model(config)
    with pytest.raises(LimitError, match=message):
        check_training(config, TrainConfig(steps=1), 100)


def test_gpt_class_direct_matches_notebook_seeding():
    """build_model(seed) is exactly torch.manual_seed(seed); GPT(config)."""
    torch.manual_seed(1337)
    direct = GPT(GPTConfig())
    built = build_model(GPTConfig(), 1337)
    for (n, a), (_, b) in zip(direct.state_dict().items(), built.state_dict().items(), strict=True):
        assert torch.equal(a, b), n


def test_prefix_logits_match_forward_across_attention_chunks():
    """V = 2, k = 12: 8,190 prefix rows, attention runs in several chunks; every prefix equals a direct forward."""
    m = build_model(GPTConfig(vocab_size=2, block_size=12), 5)
    C, k = m.config.n_embd, m.config.block_size
    chunk = max(256, 2**19 // (k * C))
    assert sum(2**t for t in range(1, 13)) > 2 * chunk, "the case spans at least three chunks"
    prefixes = m.prefix_logits()
    with torch.no_grad():
        for t in (0, 5, 11):
            n = 2 ** (t + 1)
            idx = torch.arange(n)[:, None] // 2 ** torch.arange(t, -1, -1)[None, :] % 2  # (n, t+1), oldest first
            direct = m(idx)
            assert torch.allclose(prefixes[t], direct, atol=1e-5), f"prefixes of length {t + 1}"


def test_forward_is_the_shared_attention_math():
    """The block's attention equals a from-scratch masked softmax(q k^T / sqrt(hs)) v."""
    m = build_model(GPTConfig(vocab_size=3, block_size=4), 2)
    attn = m.transformer.h[0].attn
    x = torch.randn(5, 4, 16, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        q, k, v = attn.c_attn(x).split(16, dim=2)
        heads = lambda t: t.view(5, 4, 4, 4).transpose(1, 2)  # noqa: E731
        q, k, v = heads(q), heads(k), heads(v)
        scores = q @ k.transpose(-2, -1) / 2.0  # sqrt(hs) = 2
        scores = scores + torch.triu(torch.full((4, 4), float("-inf")), diagonal=1)
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(5, 4, 16)
        assert torch.allclose(attn(x), attn.c_proj(y), atol=1e-6)


def test_dropout_is_nanogpts_and_a_model_without_it_is_unchanged():
    from core.text.textgpt import TextGPTConfig, TextModelError, TextTrainConfig, train_text_model

    plain = TextGPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=16, capped=False)
    dropped = TextGPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=16, dropout=0.5, capped=False)
    a, b = build_model(plain, 3), build_model(dropped, 3)
    assert a.state_dict().keys() == b.state_dict().keys(), "dropout adds no parameter"
    assert all(torch.equal(a.state_dict()[n], b.state_dict()[n]) for n in a.state_dict()), "nor changes the init"
    assert not any(isinstance(m, torch.nn.Dropout) or type(m).__name__ == "Dropout" for m in a.modules())
    x = torch.randint(0, 5, (4, 8))
    with torch.no_grad():
        assert torch.equal(a.eval()(x), b.eval()(x)), "in eval mode dropout is the identity"
        layer = next(m for m in b.modules() if type(m).__name__ == "Dropout").train()
        y = layer(torch.ones(100_000))
        assert abs(float((y == 0).float().mean()) - 0.5) < 0.01, "about p of the values zeroed"
        assert set(torch.unique(y).tolist()) == {0.0, 2.0}, "the rest scaled by 1 / (1 - p)"
    ids = torch.randint(0, 5, (400,), generator=torch.Generator().manual_seed(0)).numpy()
    train = TextTrainConfig(steps=5, batch_size=4, capped=False)
    one, two = (train_text_model(ids, dropped, train) for _ in range(2))
    assert one.losses == two.losses, "a seeded training with dropout repeats exactly"
    assert train_text_model(ids, plain, train).losses != one.losses, "and differs from the same training without it"
    with pytest.raises(TextModelError, match="dropout"):
        TextGPTConfig(dropout=1.0)
