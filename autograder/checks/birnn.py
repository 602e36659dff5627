"""Checks for assignment 10, bidirectional RNNs: birnn_forward, birnn_backward."""
