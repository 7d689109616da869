"""The server's runtime: how the app's heavy work is run, once, in turn, and what a process does at start and exit.

What is inside: `jobs` (a computation run once on first request and shared, in a turn of the machine's queue
`core.turns`, tried in the result store `core.store` first), `settings` (the environment's numbers: how many
trainings at once, how long a wait, where the queue lives), `process` (what one server process does before its
first visitor, in the background after it, and at exit), and `pretrain` (the long text GPT trained in the
background when it was not shipped, in a turn of the same queue).

What is not: any caching of results for pages (`ui.cache`), any page or message (a waiting page is shown by the
caller's `place`). Plain Python and torch; never streamlit.
"""
