"""Checks for assignment 2, notation: one_hot, pad_sequences, batch_sequences."""
