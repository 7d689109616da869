"""The command line, `python -m core {states,train,compare,presets,text,vocab,textmodel}` [--json].

What is inside: the argument parser, the printer and the BabyGPT and arithmetic commands (`main`),
and the real-text commands: `text` (with the file reader the three share), `vocab` and `textmodel`.

What is not: any computation; every command calls `core.babygpt`, `core.text` or `core.arith` and
prints what they return. No other part of `core` imports this package (`core.__main__` runs it).
"""
