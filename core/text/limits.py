"""Every cap of the real-text domain in one place: one request's work on real text is bounded by these.

What it is: plain constants, imported by the modules whose work they bound (`corpus`, `ngram`, `vocab`,
`textgpt`, `sampling`) and by the pages that show them. It imports nothing of its domain.
What it is not: the checks themselves (each module checks its own inputs and names the cap it refuses by).
"""

# The corpus (core.text.corpus)
MAX_CORPUS_BYTES = 5_000_000  # an uploaded file or a pasted text, UTF-8 bytes
MAX_HELDOUT = 0.5  # largest held-out fraction of the symbols

# The n-gram counts (core.text.ngram)
MAX_SWEEP_K = 32  # longest context in a sweep
MAX_KN_K = 64  # longest context of a Kneser-Ney model set against a GPT (= MAX_TEXT_CONTEXT, the GPT's longest)
MAX_TOP_STATES = 1_000  # most-visited states returned by top_states

# BPE vocabularies (core.text.vocab); training a 8,192-token BPE on 5 MB takes a few seconds
MIN_BPE_VOCAB = 256  # the byte alphabet: every tokenizer holds the 256 bytes
MAX_BPE_VOCAB = 8_192  # largest vocabulary asked for
MAX_VOCAB_SIZES = 6  # vocabulary sizes in one sweep
MIN_SPAN, MAX_SPAN = 4, 256  # characters of text a context must cover

# The text GPT (core.text.textgpt, core.text.sampling), measured in benchmarks/bench_textgpt.py
MAX_TEXT_PARAMS = 1_000_000  # parameters of one model
MAX_TEXT_CONTEXT = 64  # k, symbols the model sees
MAX_TEXT_VOCAB = MAX_BPE_VOCAB  # V: characters of a raw alphabet or BPE ids
MAX_TEXT_LAYERS, MAX_TEXT_EMBD, MAX_TEXT_HEADS = 8, 256, 16
MAX_TEXT_STEPS = 2_000  # optimizer steps
MAX_TEXT_BATCH = 64  # windows per step
MAX_TEXT_SYMBOLS = 5_000_000  # training symbols windows are drawn from
MAX_TEXT_FLOPS = 2e12  # 6 * params * symbols seen: about a minute of one core at the measured rate
MAX_EVAL_FLOPS = 3e11  # 2 * params * k per held-out example; past it an evenly spaced subset is scored
MAX_SAMPLE = 2_000  # symbols in one sample
