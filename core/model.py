"""The BabyGPT model: the notebook's trimmed nanoGPT, reproduced to the digit.

What it is: a tiny causal transformer whose `forward(idx)` returns the logits of the
LAST position only, shape (B, vocab_size). With the article's defaults it has exactly
12,656 parameters and, seeded with 1337, the article's numbers.

What it is not: a trainer (see `core.babygpt.train`) or a state machine (see `core.babygpt.chain`).

Details that matter for the exact numbers:
- `bias=False` applies to the Linear layers only; every LayerNorm keeps its bias.
- The head's weight is tied to the token embedding, and the init pass visits the modules
  in creation order, so the tied weight is drawn twice (as embedding, then as head).
- Building draws from torch's global generator; `build_model` holds a process-wide lock
  around seeding + building so sessions running in threads never interleave their draws.
- `prefix_logits` computes every prefix once along the prefix tree; it runs the same blocks
  and the same attention math (`CausalSelfAttention.heads` and `.weights`) as `forward`, only over a
  gathered set of keys, so a change to a block reaches both.
- `forward_with_attention` is `forward` itself, with every layer's attention weights kept on
  the way (a list the pass appends to; no state on the modules, so threads may share a model).
- Dropout (nanoGPT's four places: embeddings, attention weights, both residual projections) exists only for a
  config with a `dropout` field above 0 (the text GPT's); it draws from the model's own generator, and a model
  without it has the very modules, parameters and numbers it had before.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F

from core.errors import ConfigError


@dataclass(frozen=True)
class GPTConfig:
    block_size: int = 3  # context length k: the model sees at most this many tokens
    vocab_size: int = 2  # V: tokens are 0 .. V-1
    n_layer: int = 4  # transformer blocks
    n_head: int = 4  # attention heads per block; must divide n_embd
    n_embd: int = 16  # width of the residual stream
    bias: bool = False  # True: bias in the Linear layers (LayerNorms always have one)

    def __post_init__(self):
        """Only the shape: whole sizes of at least 1, heads that divide the width. Caps are the caller's (check_model)."""
        for name, value in (
            ("vocabulary size", self.vocab_size),
            ("context length", self.block_size),
            ("n_layer", self.n_layer),
            ("n_head", self.n_head),
            ("n_embd", self.n_embd),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError("config.positive", name=name, value=value)
        if self.n_embd % self.n_head:
            raise ConfigError("config.divisible", n_embd=self.n_embd, n_head=self.n_head)


class Dropout(nn.Module):
    """nanoGPT's dropout (zero a share p of the values while training, scale the rest by 1/(1-p)), drawing from a
    generator of its own that `GPT.seed_dropout` seeds, so a seeded training repeats exactly, on any thread."""

    def __init__(self, p: float, generator: torch.Generator):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return x
        keep = torch.rand(x.shape, generator=self.generator) >= self.p
        return x * keep / (1 - self.p)


def dropouts(config: GPTConfig, generator: torch.Generator, n: int) -> list[nn.Module]:
    """n dropout layers drawing from one generator, or n identities when the config has no dropout (the article's
    BabyGPT and every model without one: their forward passes are unchanged)."""
    p = getattr(config, "dropout", 0.0)  # only TextGPTConfig has the field
    return [Dropout(p, generator) if p > 0 else nn.Identity() for _ in range(n)]


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig, generator: torch.Generator | None = None):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.attn_dropout, self.resid_dropout = dropouts(config, generator, 2)
        mask = torch.tril(torch.ones(config.block_size, config.block_size))
        self.register_buffer("mask", mask.view(1, 1, config.block_size, config.block_size))

    def heads(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Queries, keys and values per head: (B, T, C) -> three (B, nh, T, hs)."""
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        return q, k, v

    @staticmethod
    def weights(scores: torch.Tensor, allowed: torch.Tensor, dim: int = -1) -> torch.Tensor:
        """Attention weights from scaled scores q.k/sqrt(hs): masked, then a softmax over the keys' dim.

        allowed: bool, broadcastable to scores; False keys get no weight. Shared by `forward`
        (keys on the last dim) and `GPT.prefix_logits` (keys gathered on dim 1).
        """
        return F.softmax(scores.masked_fill(~allowed, float("-inf")), dim=dim)

    def forward(self, x: torch.Tensor, kept: list[torch.Tensor] | None = None) -> torch.Tensor:
        """kept: if given, the attention weights (B, nh, T, T) are appended to it (row i: position i's weights)."""
        B, T, C = x.size()
        q, k, v = self.heads(x)  # (B, nh, T, hs) each
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))  # (B, nh, T, T)
        w = self.weights(scores, self.mask[:, :, :T, :T] != 0)  # (B, nh, T, T)
        if kept is not None:
            kept.append(w)
        y = self.attn_dropout(w) @ v  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig, generator: torch.Generator | None = None):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.nonlin = nn.GELU()
        (self.dropout,) = dropouts(config, generator, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.nonlin(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, config: GPTConfig, generator: torch.Generator | None = None):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config, generator)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config, generator)

    def forward(self, x: torch.Tensor, kept: list[torch.Tensor] | None = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), kept)
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.dropout_generator = torch.Generator()  # every dropout layer's (none without config.dropout)
        (drop,) = dropouts(config, self.dropout_generator, 1)
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(config.vocab_size, config.n_embd),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                drop=drop,
                h=nn.ModuleList([Block(config, self.dropout_generator) for _ in range(config.n_layer)]),
                ln_f=nn.LayerNorm(config.n_embd),
            )
        )
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def seed_dropout(self, seed: int) -> None:
        """Seed the dropout layers' generator (a training does, from its own seed)."""
        self.dropout_generator.manual_seed(seed)

    def n_params(self) -> int:
        """Number of parameters, the tied weight counted once (the article's 12,656)."""
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """Logits of the next token after the last position: (B, T) -> (B, vocab_size)."""
        return self.lm_head(self._hidden(idx)[:, -1, :])  # (B, vocab_size), as in the notebook

    def forward_all(self, idx: torch.Tensor) -> torch.Tensor:
        """Logits after every position: (B, T) -> (B, T, vocab_size). Position t sees idx[:, :t+1] only."""
        return self.lm_head(self._hidden(idx))

    @torch.no_grad()
    def forward_with_attention(self, idx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """`forward`'s logits (B, vocab_size) and every layer's attention weights (n_layer, B, n_head, T, T).

        weights[l, b, h, i, j]: how much head h of layer l at position i reads position j (0 for j > i;
        each row sums to 1). The same pass as `forward`, so the logits are the same numbers.
        """
        kept: list[torch.Tensor] = []
        logits = self.lm_head(self._hidden(idx, kept)[:, -1, :])
        return logits, torch.stack(kept)

    @torch.no_grad()
    def prefix_logits(self) -> list[torch.Tensor]:
        """Logits after every possible prefix, sharing work along the prefix tree.

        Returns a list whose entry t (0..k-1) has shape (V^(t+1), vocab_size): the logits
        after the prefix with index i (base-V, oldest token most significant), the same as
        `forward` on that prefix. Because attention is causal, the activations at position t
        depend only on the first t+1 tokens, so each of the sum_t V^(t+1) prefixes is computed
        once, instead of once per full state that contains it: about k(V-1)/V times fewer rows
        than a forward over all V^k full states.

        Every prefix is one row (its last token at its position). In attention a row's query
        meets the keys and values of its ancestors: the rows of its own first 1, 2, .. t+1 tokens.
        """
        V, k, C = self.config.vocab_size, self.config.block_size, self.config.n_embd
        hs = C // self.config.n_head
        sizes = [V ** (t + 1) for t in range(k)]  # prefixes of length t+1
        first_row = [sum(sizes[:t]) for t in range(k)]  # row of the first prefix of length t+1
        length = torch.cat([torch.full((n,), t) for t, n in enumerate(sizes)])  # (N,) position of the last token
        index = torch.cat([torch.arange(n) for n in sizes])  # (N,) index among prefixes of that length
        # ancestor[r, j]: the row of the length-(j+1) prefix of row r, for j <= its position (else row 0, masked)
        j = torch.arange(k)
        drop = (length[:, None] - j[None, :]).clamp(min=0)  # (N, k) tokens to drop from the end
        allowed = j[None, :] <= length[:, None]  # (N, k)
        ancestor = torch.where(allowed, torch.tensor(first_row)[None, :] + index[:, None] // V**drop, 0)
        x = self.transformer.wte(index % V) + self.transformer.wpe(length)  # (N, C)
        chunk = max(256, 2**19 // (k * C))  # rows per attention step: bounded memory
        for block in self.transformer.h:
            q, kk, vv = block.attn.heads(block.ln_1(x)[:, None, :])  # (N, nh, 1, hs) each
            ys = []
            for lo in range(0, len(x), chunk):
                rows = ancestor[lo : lo + chunk]  # (n, k)
                keys, values = kk[rows].squeeze(3), vv[rows].squeeze(3)  # (n, k, nh, hs): the ancestors'
                query = q[lo : lo + chunk].transpose(1, 2)  # (n, 1, nh, hs)
                scores = (query * keys).sum(-1) * (1.0 / math.sqrt(hs))  # (n, k, nh)
                w = block.attn.weights(scores, allowed[lo : lo + chunk, :, None], dim=1)  # (n, k, nh)
                ys.append((w[..., None] * values).sum(1).reshape(-1, C))  # (n, nh, hs) -> (n, C)
            x = x + block.attn.c_proj(torch.cat(ys))
            x = x + block.mlp(block.ln_2(x))
        logits = self.lm_head(self.transformer.ln_f(x))
        return [logits[o : o + n] for o, n in zip(first_row, sizes, strict=True)]

    def _hidden(self, idx: torch.Tensor, kept: list[torch.Tensor] | None = None) -> torch.Tensor:
        B, T = idx.size()
        assert T <= self.config.block_size, f"sequence of length {T} exceeds block_size {self.config.block_size}"
        pos = torch.arange(0, T, dtype=torch.long, device=idx.device).unsqueeze(0)  # (1, T)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))  # (B, T, C)
        for block in self.transformer.h:
            x = block(x, kept)
        return self.transformer.ln_f(x)  # (B, T, C)


_BUILD_LOCK = threading.Lock()


def build_model(config: GPTConfig, seed: int) -> GPT:
    """Seed torch's global generator and build the model, atomically across threads.

    Equivalent to the notebook's `torch.manual_seed(seed); gpt = GPT(config)`; the global
    generator's state is restored afterwards so other code sees no side effect.
    """
    with _BUILD_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return GPT(config)


def estimate_params(config: GPTConfig) -> int:
    """Parameter count from the config alone, without building the model."""
    C, V, L = config.n_embd, config.vocab_size, config.n_layer
    linear_bias = 1 if config.bias else 0
    per_block = (
        2 * 2 * C  # two LayerNorms, weight + bias
        + (C * 3 * C + linear_bias * 3 * C)  # attention in-projection
        + (C * C + linear_bias * C)  # attention out-projection
        + (C * 4 * C + linear_bias * 4 * C)  # MLP in
        + (4 * C * C + linear_bias * C)  # MLP out
    )
    return V * C + config.block_size * C + L * per_block + 2 * C  # wte (tied head), wpe, blocks, ln_f
