"""Checks for assignment 11, deep RNNs: deep_rnn_forward, deep_rnn_backward."""
