"""The command line, `python -m core {states,train,compare,chain,explain,presets,text,vocab,textmodel,parallel}` [--json].

What is inside: the argument parser, the printer and the BabyGPT and arithmetic commands (`main`: states, train,
compare, chain, explain, presets), and the real-text commands, a module each: `text`, `vocab`, `textmodel` and
`parallel`, with the reader of a built-in corpus or a file they share (`source`).

What is not: any computation; every command calls `core.babygpt`, `core.text` or `core.arith` and
prints what they return. No other part of `core` imports this package (`core.__main__` runs it).
"""
