"""The article's BabyGPT as a finite-state Markov chain: V tokens, a context of k, V^k states.

What is inside: the states and their order (`states`), a training sequence and its examples
(`data`), training one model (`train`, with the check of a training's cost) and several seeds at
once (`batched`), the chains a model or a sequence makes (`chain`), focused views of a big chain
(`focus`), the comparisons over contexts, vocabularies and seeds (`compare`), the never-seen states
beside the data's suffixes and what each attention head reads (`explain`), and the caps of one
request (`limits`: a leaf that imports only `core.errors`, so the model and the arithmetic may read
their caps there without importing anything else of this package).

What is not: the GPT itself (`core.model`, shared with `core.text`), real text (`core.text`), the
state-space arithmetic (`core.arith`), the command line (`core.cli`) or any page (`ui/`, `pages/`).
Nothing here imports `core.text`, `core.arith` or `core.cli`.
"""
