"""The arithmetic's caps: how large V and k may be, and how many digits are written out exactly.

A leaf: it imports nothing of its domain. `core.arith.statespace` reads them.
"""

MAX_ARITH = 10**12  # V and k may each be at most this
EXACT_MAX_DIGITS = 200_000  # exact integers up to this many digits (50,257^32,768 has 154,049)
