"""Checks for assignment 8, the GRU: gru_cell_forward, gru_forward, gru_cell_backward, gru_backward."""
