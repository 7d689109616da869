"""Real models' vocabulary sizes and context lengths, and the article's own size comparison.

What it is: data, each row with its source, plus the function that puts the article's
figures beside what the arithmetic and the published numbers give. n_vocab is the
highest token id + 1 (what a model's embedding table must cover).

What it is not: a claim about how these models store anything; the "bits per state" is
the information in one full context window, the article's yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.arith.statespace import bits_per_state
from core.errors import ConfigError


@dataclass(frozen=True)
class Preset:
    name: str
    vocab: int  # n_vocab: highest token id + 1
    context: int  # published context length in tokens
    source: str


PRESETS: tuple[Preset, ...] = (
    Preset("GPT-2", 50_257, 1_024, "Radford et al. 2019, 'Language Models are Unsupervised Multitask Learners' (n_ctx 1024)"),
    Preset("GPT-3", 50_257, 2_048, "Brown et al. 2020, 'Language Models are Few-Shot Learners' (n_ctx 2048)"),
    Preset("gpt-3.5-turbo", 100_277, 4_096, "tiktoken cl100k_base (n_vocab 100,277); OpenAI model list, 2023 (4,096 tokens)"),
    Preset("GPT-4 (8K)", 100_277, 8_192, "OpenAI GPT-4 Technical Report 2023; tiktoken cl100k_base"),
    Preset("GPT-4 (32K)", 100_277, 32_768, "OpenAI GPT-4 Technical Report 2023 (gpt-4-32k); tiktoken cl100k_base"),
    Preset("GPT-4o", 200_019, 128_000, "tiktoken o200k_base (n_vocab 200,019); OpenAI model list, 2024 (128,000 tokens)"),
    Preset("Llama 2", 32_000, 4_096, "Touvron et al. 2023, 'Llama 2: Open Foundation and Fine-Tuned Chat Models'"),
    Preset("Llama 3", 128_256, 8_192, "Meta Llama 3 model card, 2024"),
    Preset("Llama 3.1", 128_256, 131_072, "Meta Llama 3.1 model card, 2024 (128K context)"),
    Preset("Mistral 7B", 32_000, 8_192, "Jiang et al. 2023, 'Mistral 7B'"),
)


@dataclass(frozen=True)
class ArticleClaim:
    """One line of the article's size comparison, quoted as printed, with what it implies."""

    model: str
    quote: str  # the article's sentence (English rendering of section 2)
    vocab: int  # the vocabulary the article's arithmetic uses
    context: int  # the context the article's arithmetic uses
    claimed_bytes: int  # the size the article states, read as bytes
    machine: str | None  # the home computer it is compared to
    published: str  # the preset name with the published figures
    slips: tuple[str, ...]  # what the article got wrong, flagged


ARTICLE_CLAIMS: tuple[ArticleClaim, ...] = (
    ArticleClaim(
        "GPT-2",
        "GPT-2 has 50,257 tokens and a context of 2048 tokens: log2(50,257) * 2048 = 31,984 bits per state = 3,998 kB.",
        50_257,
        2_048,
        3_998,
        None,
        "GPT-2",
        (
            "31,984 bits is 3,998 bytes (about 3.9 KiB), not kB",
            "GPT-2's published context is 1,024 tokens (2,048 is GPT-3's)",
        ),
    ),
    ArticleClaim(
        "GPT-3",
        "GPT-3 has a context of 4096, so it needs 8 kB of memory; about an Atari 800.",
        50_257,
        4_096,
        8_000,
        "Atari 800",
        "GPT-3",
        ("GPT-3's published context is 2,048 tokens (4,096 is gpt-3.5's)",),
    ),
    ArticleClaim(
        "GPT-4",
        "GPT-4 takes up to 32K tokens, so about 64 kB, a Commodore 64.",
        50_257,
        32_768,
        64_000,
        "Commodore 64",
        "GPT-4 (32K)",
        ("uses GPT-2's 50,257-token vocabulary; GPT-4's cl100k_base has 100,277 tokens, which gives about 66.5 KiB",),
    ),
)

# Home computers the article compares states to: name -> (RAM in bytes, note).
MACHINES: dict[str, tuple[int, str]] = {
    "Atari 800 (1979)": (8 * 1024, "8 KB at launch"),
    "Atari 800 (later)": (48 * 1024, "16 KB, then 48 KB"),
    "Commodore 64 (1982)": (64 * 1024, "64 KiB"),
}


def preset(name: str) -> Preset:
    """The preset called `name` (case-insensitive); ValueError listing the names otherwise."""
    for p in PRESETS:
        if p.name.lower() == name.lower():
            return p
    raise ConfigError("config.preset", name=name, names=", ".join(p.name for p in PRESETS))


def preset_for(vocab: int, context: int) -> str | None:
    """The name of the first preset with exactly this vocabulary and context, or None."""
    return next((p.name for p in PRESETS if (p.vocab, p.context) == (vocab, context)), None)


def preset_rows() -> list[dict]:
    """One row per real model: vocab, context, bits, bytes and KiB per full state."""
    rows = []
    for p in PRESETS:
        bits = bits_per_state(p.vocab, p.context)
        rows.append(
            dict(
                model=p.name,
                vocab=p.vocab,
                context=p.context,
                bits_per_state=bits,
                bytes_per_state=bits / 8,
                kib_per_state=bits / 8 / 1024,
                source=p.source,
            )
        )
    return rows


def article_rows() -> list[dict]:
    """The article's three figures beside the arithmetic on its own inputs and on the published ones."""
    rows = []
    for c in ARTICLE_CLAIMS:
        pub = preset(c.published)
        bits = bits_per_state(c.vocab, c.context)
        pub_bits = bits_per_state(pub.vocab, pub.context)
        rows.append(
            dict(
                model=c.model,
                published_model=c.published,
                quote=c.quote,
                article_vocab=c.vocab,
                article_context=c.context,
                article_claim_bytes=c.claimed_bytes,
                computed_bits=bits,
                computed_bytes=bits / 8,
                published_vocab=pub.vocab,
                published_context=pub.context,
                published_bits=pub_bits,
                published_bytes=pub_bits / 8,
                machine=c.machine,
                slips="; ".join(c.slips),
            )
        )
    return rows
