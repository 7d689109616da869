"""Page models: everything a page of the app states, computed here, one module per page (`pages/<name>.py` shows
what `core/pages/<name>.py` returns).

What is inside: per page (and per tab where a tab is its own view) one pure function that returns one frozen
dataclass: the numbers, the verdicts as data (which side is ahead and by how much, never a sentence), the states in
focus and what a drawn chain needs, with a `key`: a small hashable description of where it came from, which is also
its cache key. A test per model checks its numbers against an independent reference, without the web stack.

What is not: words (the catalogues in `ui/locales`), charts, tables, HTML or any caching (`ui.cache`), and no
heavy work of its own beyond what a page shows: a trained model, a sweep or a corpus comes in as an argument,
computed and cached by the app. Imports `core.babygpt`, `core.text` and `core.arith`; nothing in those imports it.
"""
