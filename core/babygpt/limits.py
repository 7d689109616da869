"""The BabyGPT chain's caps: what bounds one request's work on a public page, and the checks that need nothing but them.

What it is: every limit of this domain in one place (states, what a graph draws, model size, steps, sequence length,
comparisons), `check_model` for a model's size, and the checks for a table of states. `LimitError`
and the range check are shared by every domain (`core.errors`). A leaf: it imports only `core.errors`.
A page or the CLI calls the check once per request; the work itself trusts it.

What it is not: input validation of a single value (a config's own `__post_init__` does that),
a parser of user text (`core.babygpt.data`), or the check of a training, which needs the model
and the data (`core.babygpt.train.check_training`). The real-text caps live in `core.text.limits`,
the arithmetic's in `core.arith.limits`.
"""

from __future__ import annotations

from core.errors import LimitError, check_range

__all__ = ["LimitError", "check_range"]  # shared with every domain (core.errors); read here with the caps

# Tables and graphs of states
MAX_STATES = 65_536  # largest V^k whose states, tables and graphs are built (V = 2, k = 16)

# Drawing a chain (core.babygpt.focus, core.babygpt.scene, ui/graph.py, ui/explore.py)
FULL_GRAPH_LIMIT = 32  # up to this many states the whole chain is drawn; past it a focused view
FOCUS_LIMIT = 40  # states in a focused view, end points included
GRAPH_NODE_LIMIT = 256  # past this many states a heatmap replaces the graph
HEATMAP_ROW_LIMIT = 4_096  # past this many states only the table is shown
SWEEP_STATE_LIMIT = 4_096  # past this many states no curve against the temperature (each point is a long run)

# The model (GPTConfig)
MAX_VOCAB = 64
MAX_BLOCK_SIZE = 16
MAX_LAYERS = 8
MAX_EMBD = 128
MAX_HEADS = 16

# Training (TrainConfig and the cost of one training)
MAX_STEPS = 2_000  # optimizer steps in one training
MAX_TRAIN_FLOPS = 3e11  # ~6 * params * tokens * steps: about 10 s of CPU at most
MAX_SNAPSHOT_VALUES = 2_000_000  # floats kept over all snapshots (states * V * snapshots)

# Training data
MAX_SEQUENCE_LEN = 5_000  # tokens in one training sequence
MAX_BITS = 4_000  # bits in the equal-information comparison

# Comparisons
MAX_SWEEP_CONTEXT = 8  # largest k in a context sweep
MAX_SEEDS = 16  # models in one seed spread


def check_model(config) -> None:
    """LimitError if a model's shape (a GPTConfig: its fields are read, nothing imported) is past a cap."""
    check_range("vocabulary size", config.vocab_size, 1, MAX_VOCAB)
    check_range("context length", config.block_size, 1, MAX_BLOCK_SIZE)
    check_range("n_layer", config.n_layer, 1, MAX_LAYERS)
    check_range("n_head", config.n_head, 1, MAX_HEADS)
    check_range("n_embd", config.n_embd, 1, MAX_EMBD)


def check_states(vocab: int, context: int) -> int:
    """V^k, or LimitError past MAX_STATES: the check for any table or graph over full states."""
    n = vocab**context
    if n > MAX_STATES:
        raise LimitError("limit.states", vocab=vocab, context=context, states=n, limit=MAX_STATES)
    return n


def check_all_lengths(vocab: int, context: int) -> int:
    """sum_{i=1..k} V^i, or LimitError past MAX_STATES: the check for the variable-length chain."""
    total = sum(vocab**i for i in range(1, context + 1))
    if total > MAX_STATES:
        raise LimitError("limit.all_lengths", states=total, context=context, limit=MAX_STATES)
    return total
