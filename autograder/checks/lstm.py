"""Checks for assignment 9, the LSTM: lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward."""
