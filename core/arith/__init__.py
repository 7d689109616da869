"""Exact state-space arithmetic: V^k and its relatives for any V and k, and the published models' sizes.

What is inside: the exact counts and bits per state (`statespace`) and the real models' vocabulary
sizes and contexts beside the article's own figures (`presets`). No torch, no model.

What is not: the states of a model one can tabulate (`core.babygpt.states`) or real text (`core.text`).
Its only imports from `core` are `core.errors` and the caps in `core.babygpt.limits`.
"""
