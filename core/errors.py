"""Errors a user can act on: a stable code, its parameters, and the English text the CLI prints.

What it is: `CoreError` and its families. Each family lists its messages as English templates
keyed by a stable code (`"limit.states"`); raising one formats the template with the
parameters (`LimitError("limit.states", vocab=2, context=17, states=131072, limit=65536)`).
The UI layer renders the same code and parameters in the visitor's language, so `core`
stays free of any UI and of any language but the CLI's.

What it is not: a place for checks (only the one range check every cap uses); the caps and their checks live
with each domain (`core.babygpt.limits`, `core.arith.limits`, `core.text.limits`).
"""

from __future__ import annotations

from typing import ClassVar


class CoreError(ValueError):
    """A bad input or a request past a cap, with a stable code and its parameters."""

    messages: ClassVar[dict[str, str]] = {}

    def __init__(self, code: str, **params):
        if code not in self.messages:
            raise KeyError(f"{type(self).__name__} has no message for code {code!r}")
        self.code, self.params = code, params
        super().__init__(self.messages[code].format(**params))


def all_messages() -> dict[str, str]:
    """Every code of every CoreError family (of the modules imported so far) -> English template."""
    out: dict[str, str] = {}
    stack = [CoreError]
    while stack:
        cls = stack.pop()
        out.update(cls.messages)
        stack.extend(cls.__subclasses__())
    return out


class ConfigError(CoreError):
    """A setting that cannot be used as given (not a cap: a cap is a `LimitError`)."""

    messages = {
        "config.divisible": "n_embd ({n_embd}) must be divisible by n_head ({n_head})",
        "config.lr": "learning rate must be in (0, 1], got {value}",
        "config.weight_decay": "weight decay must be in [0, 10], got {value}",
        "config.seed": "seed must be a whole number from 0 to 2^63 - 1, got {value}",
        "config.whole": "{name} must be a whole number, got “{value}”",
        "config.range_format": "context range must look like 1-4, got “{text}”",
        "config.range_order": "context range must be within 1-{limit} and ascending, got “{text}”",
        "config.bits_split": "{bits} context bits cannot be split into tokens of {width} bits",
        "config.preset": "unknown preset “{name}”; choose one of: {names}",
        "config.token_range": "token {token} is outside the vocabulary of {vocab}",
        "config.positive": "{name} must be a whole number of at least 1, got {value}",
        "config.temperature": "temperature must be in (0, {high}], got {value}",
    }


class LimitError(CoreError):
    """A request past one of the caps above; the message names the cap and what to change."""

    messages = {
        "limit.states": "V^k = {vocab}^{context} = {states:,} states is past the limit of {limit:,} states "
        "that can be tabulated; choose a smaller vocabulary or context",
        "limit.all_lengths": "{states:,} states of length 1..{context} is past the limit of {limit:,}",
        "limit.flops": "this training would take about {flops:.2g} operations, past the limit of {limit:.0e}: "
        "use fewer steps, a shorter sequence or a smaller model",
        "limit.seeds_flops": "{seeds} trainings would take about {flops:.2g} operations, past the limit of {limit:.0e}: "
        "use fewer seeds or steps",
        "limit.seeds": "choose 1 to {limit} seeds, got {seeds}",
        "limit.range": "{name} must be {low:,}..{high:,}, got {value:,}",
        "limit.sequence": "the sequence has {n:,} tokens; the limit is {limit:,}",
        "limit.text_vocab": "the text has {n} distinct characters; the vocabulary limit is {limit}",
        "limit.bits": "the bit stream must have 1 to {limit:,} bits, got {n:,}",
        "limit.sweep": "context lengths must be within 1..{limit}",
    }


def check_range(name: str, value: int | float, low: int | float, high: int | float) -> None:
    """LimitError unless low <= value <= high."""
    if not low <= value <= high:
        raise LimitError("limit.range", name=name, value=value, low=low, high=high)
