"""Checks for assignment 1, language models: build_vocab, ngram_counts, addk_prob, perplexity."""
