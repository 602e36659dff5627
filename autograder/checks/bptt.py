"""Checks for assignment 4, backpropagation through time: softmax_cross_entropy, rnn_cell_backward, rnn_backward, output_backward, grad_check, training on binary addition."""
