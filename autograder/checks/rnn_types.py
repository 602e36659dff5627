"""Checks for assignment 5, RNN types: the many-to-one pixel classifier and the encoder-decoder."""
