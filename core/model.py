"""The BabyGPT model: the notebook's trimmed nanoGPT, reproduced to the digit.

What it is: a tiny causal transformer whose `forward(idx)` returns the logits of the
LAST position only, shape (B, vocab_size). With the article's defaults it has exactly
12,656 parameters and, seeded with 1337, the article's numbers.

What it is not: a trainer (see `core.train`) or a state machine (see `core.chain`).

Details that matter for the exact numbers (see MISSION.md):
- `bias=False` applies to the Linear layers only; every LayerNorm keeps its bias.
- The head's weight is tied to the token embedding, and the init pass visits the modules
  in creation order, so the tied weight is drawn twice (as embedding, then as head).
- Building draws from torch's global generator; `build_model` holds a process-wide lock
  around seeding + building so sessions running in threads never interleave their draws.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.nn import functional as F

# Caps that keep one request's work bounded on a public page.
MAX_VOCAB = 64
MAX_BLOCK_SIZE = 16
MAX_LAYERS = 8
MAX_EMBD = 128
MAX_HEADS = 16


@dataclass(frozen=True)
class GPTConfig:
    block_size: int = 3  # context length k: the model sees at most this many tokens
    vocab_size: int = 2  # V: tokens are 0 .. V-1
    n_layer: int = 4  # transformer blocks
    n_head: int = 4  # attention heads per block; must divide n_embd
    n_embd: int = 16  # width of the residual stream
    bias: bool = False  # True: bias in the Linear layers (LayerNorms always have one)

    def __post_init__(self):
        checks = [
            (1 <= self.vocab_size <= MAX_VOCAB, f"vocabulary size must be 1..{MAX_VOCAB}, got {self.vocab_size}"),
            (1 <= self.block_size <= MAX_BLOCK_SIZE, f"context length must be 1..{MAX_BLOCK_SIZE}, got {self.block_size}"),
            (1 <= self.n_layer <= MAX_LAYERS, f"n_layer must be 1..{MAX_LAYERS}, got {self.n_layer}"),
            (1 <= self.n_head <= MAX_HEADS, f"n_head must be 1..{MAX_HEADS}, got {self.n_head}"),
            (1 <= self.n_embd <= MAX_EMBD, f"n_embd must be 1..{MAX_EMBD}, got {self.n_embd}"),
            (
                self.n_embd % self.n_head == 0,
                f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        mask = torch.tril(torch.ones(config.block_size, config.block_size))
        self.register_buffer("mask", mask.view(1, 1, config.block_size, config.block_size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))  # (B, nh, T, T)
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.nonlin = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(self.nonlin(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(config.vocab_size, config.n_embd),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
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
    def prefix_logits(self) -> list[torch.Tensor]:
        """Logits after every possible prefix, sharing work along the prefix tree.

        Returns a list whose entry t (0..k-1) has shape (V^(t+1), vocab_size): the logits
        after the prefix with index i (base-V, oldest token most significant), the same as
        `forward` on that prefix. Because attention is causal, the activations at position t
        depend only on the first t+1 tokens, so each of the sum_t V^(t+1) prefixes is computed
        once, instead of once per full state that contains it: about k(V-1)/V times fewer rows
        than a forward over all V^k full states.
        """
        pin_threads(TABLE_THREADS)
        V, k, C = self.config.vocab_size, self.config.block_size, self.config.n_embd
        nh, hs = self.config.n_head, C // self.config.n_head
        sizes = [V ** (t + 1) for t in range(k)]
        offsets = [sum(sizes[:t]) for t in range(k)]
        # every prefix as one row: its position t, its index i among prefixes of length t+1
        pos = torch.cat([torch.full((n,), t) for t, n in enumerate(sizes)])  # (N,)
        idx = torch.cat([torch.arange(n) for n in sizes])  # (N,)
        # anc[r, j]: row of the length-(j+1) prefix of row r (for j <= t), else a masked dummy
        j = torch.arange(k)
        shift = (pos[:, None] - j[None, :]).clamp(min=0)  # (N, k)
        valid = j[None, :] <= pos[:, None]
        anc = torch.where(valid, torch.tensor(offsets)[None, :] + idx[:, None] // V**shift, 0)
        mask = torch.zeros(valid.shape).masked_fill(~valid, float("-inf"))[:, :, None]  # (N, k, 1)
        x = self.transformer.wte(idx % V) + self.transformer.wpe(pos)  # (N, C)
        chunk = max(256, 2**19 // (k * C))  # rows per attention step: bounded memory
        for block in self.transformer.h:
            q, kv = block.attn.c_attn(block.ln_1(x)).split([C, 2 * C], dim=1)
            ys = []
            for lo in range(0, len(x), chunk):
                kk, vv = kv[anc[lo : lo + chunk]].view(-1, k, 2, nh, hs).unbind(2)  # (n, k, nh, hs) each
                qq = q[lo : lo + chunk].view(-1, 1, nh, hs)
                att = (qq * kk).sum(-1) * (1.0 / math.sqrt(hs)) + mask[lo : lo + chunk]  # (n, k, nh)
                ys.append((F.softmax(att, dim=1)[..., None] * vv).sum(1).reshape(-1, C))
            x = x + block.attn.c_proj(torch.cat(ys))
            x = x + block.mlp(block.ln_2(x))
        logits = self.lm_head(self.transformer.ln_f(x))
        return [logits[o : o + n] for o, n in zip(offsets, sizes, strict=True)]

    def _hidden(self, idx: torch.Tensor) -> torch.Tensor:
        B, T = idx.size()
        assert T <= self.config.block_size, f"sequence of length {T} exceeds block_size {self.config.block_size}"
        pos = torch.arange(0, T, dtype=torch.long, device=idx.device).unsqueeze(0)  # (1, T)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)  # (B, T, C)
        for block in self.transformer.h:
            x = block(x)
        return self.transformer.ln_f(x)  # (B, T, C)


_BUILD_LOCK = threading.Lock()
TRAIN_THREADS = 1  # intra-op threads for building and training: a tiny model gains nothing from more
TABLE_THREADS = 2  # intra-op threads for table extraction, a larger batched computation


def pin_threads(n: int) -> None:
    """Use exactly n intra-op threads in the calling thread.

    Some kernels sum in an order that depends on the thread count, and torch keeps that count
    per thread (a new thread takes the process-wide value when it first computes), so two
    threads of one process could give different last digits for the same computation. Every
    core computation pins its count first, so numbers never depend on which thread runs it.
    """
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def build_model(config: GPTConfig, seed: int) -> GPT:
    """Seed torch's global generator and build the model, atomically across threads.

    Equivalent to the notebook's `torch.manual_seed(seed); gpt = GPT(config)`; the global
    generator's state is restored afterwards so other code sees no side effect.
    """
    pin_threads(TRAIN_THREADS)
    with _BUILD_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return GPT(config)


def estimate_params(config: GPTConfig) -> int:
    """Parameter count from the config alone, without building the model."""
    C, V, L = config.n_embd, config.vocab_size, config.n_layer
    linear_bias = 1 if config.bias else 0
    per_block = (
        2 * 2 * C  # two LayerNorms, weight + bias
        + C * 3 * C
        + linear_bias * 3 * C  # attention in-projection
        + C * C
        + linear_bias * C  # attention out-projection
        + C * 4 * C
        + linear_bias * 4 * C  # MLP in
        + 4 * C * C
        + linear_bias * C  # MLP out
    )
    return V * C + config.block_size * C + L * per_block + 2 * C  # wte (tied head), wpe, blocks, ln_f
