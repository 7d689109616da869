"""The command line, `python -m core {states,train,compare,presets,text,vocab,textmodel}` [--json].

What is inside: the argument parser, the printer and the BabyGPT and arithmetic commands (`main`),
and the real-text command with the file reader the text commands share (`text`).

What is not: any computation; every command calls `core.babygpt`, `core.text` or `core.arith` and
prints what they return. The `vocab` and `textmodel` commands still sit at the end of
`core.text.vocab` and `core.text.textgpt`, which read files through `core.cli.text.read_file`.
"""
