"""Real text: what a longer context, a bigger vocabulary and a GPT buy on it.

What is inside: the built-in corpus, the checks on an uploaded text and its alphabets (`corpus`),
a text's Markov chain of order k and its Kneser-Ney n-gram (`ngram`), Shannon's 1951 table
(`shannon`), byte-level BPE vocabularies (`vocab`), a GPT trained on text (`textgpt`), seeded samples
from it and from the n-gram (`sampling`), one text's GPT against its n-gram (`versus`), the real-text
page's sweep, most visited states and their graph (`analysis`), and the same text in English and Chinese
measured side by side (`parallel`, over the parallel corpora shipped in `corpora/`). Every real-text cap lives in `limits`,
a leaf that imports nothing of its domain; the modules whose work a cap bounds import it from there
(and keep it importable by its old name).

What is not: the article's BabyGPT and its chains (`core.babygpt`), the GPT architecture
(`core.model`, shared), the command line (`core.cli`) or any page. Nothing here imports
`core.babygpt` or `core.cli`; `vocab` and `analysis` read `core.arith` for state counts.
"""
