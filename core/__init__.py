"""BabyGPT Explorer's engine: state-space arithmetic, the BabyGPT model, training, Markov chains.

Plain Python + torch + numpy; it never imports streamlit. The app's pages and the CLI
(`python -m core`) are thin layers over it.
"""
