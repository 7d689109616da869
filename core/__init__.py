"""BabyGPT Explorer's engine: state-space arithmetic, the BabyGPT model, training, Markov chains, real text.

Plain Python + torch + numpy; it never imports streamlit. The app's pages and the CLI
(`python -m core`) are thin layers over it.

Layout (each package's `__init__` states its boundary; imports go one way, import-linter's
contracts in pyproject.toml say which):

- `core.babygpt`: the article's BabyGPT as a Markov chain: states, data, training, chains, comparisons,
  and the caps (`core.babygpt.limits`, a leaf).
- `core.text`: real text: the corpus, n-gram counts, Shannon's table, BPE vocabularies, the text GPT.
- `core.arith`: exact state-space arithmetic and the published models' sizes.
- `core.cli`: the command line, `python -m core ...`.
- `core.pages`: the page models, one module per page of the app: everything a page states, as frozen dataclasses.
- `core.runtime`: how the server runs heavy work (once, in turn, from the store first) and starts and stops.
- shared modules at the top: `core.errors` (error families with stable codes), `core.model` (the GPT),
  `core.threads` (intra-op thread counts), `core.store` (the on-disk result store).
"""
