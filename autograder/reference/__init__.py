"""Hidden NumPy reference implementations: one module per chapter topic.

Every exercise function has exactly the name, arguments and return structure of the function
here, so the grader can compare a student's answer with the reference. Shapes follow the book:
a batch of sequences is ``x (n_x, m, T)``, a hidden state ``(n_h, m)``, hidden states over time
``(n_h, m, T)``. Backward functions return dicts keyed ``"d" + name``.

=================  ===========================================================  ==========
module             contents                                                     chapter
=================  ===========================================================  ==========
language_model     vocabulary, n-gram counts, add-k smoothing, perplexity       1
notation           one-hot, padding with a mask, batching to (n_x, m, T)        2
rnn                softmax, RNN cell and sequence, output layer, loss           3, 4
gradcheck          centered-difference gradient checking                        4
rnn_types          many-to-one, encoder--decoder                                5
sampling           temperature sampling with priming                            6
clipping           clipping by value / global norm, Jacobian norms              7
gru                gated recurrent unit (notes' and PyTorch's forms)            8
gates              sigmoid, shape checks, stacked gates (GRU and LSTM)
lstm               long short-term memory                                       9
birnn              bidirectional RNNs                                           10
deep_rnn           stacked RNNs                                                 11
cells              one interface over the three cells
optim, train       SGD, Adagrad, Adam; the training loop
torch_weights      conversion to and from torch.nn state dicts
=================  ===========================================================  ==========
"""

from .birnn import birnn_backward, birnn_forward
from .cells import cell_step, init_params, sequence_backward, sequence_forward
from .clipping import clip_by_global_norm, clip_by_value, global_norm, jacobian_norms
from .deep_rnn import deep_rnn_backward, deep_rnn_forward
from .gates import sigmoid
from .gradcheck import grad_check, numerical_gradient, relative_error
from .gru import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward, init_gru_params
from .language_model import (
    EOS,
    UNK,
    NGramModel,
    addk_prob,
    build_vocab,
    context_counts,
    encode,
    ngram_counts,
    perplexity,
)
from .lstm import init_lstm_params, lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from .notation import batch_sequences, lm_batch, one_hot, pad_sequences, sequential_batches
from .optim import SGD, Adagrad, Adam, Optimizer
from .rnn import (
    init_rnn_params,
    output_backward,
    output_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    softmax,
    softmax_cross_entropy,
)
from .rnn_types import (
    encoder_decoder_backward,
    encoder_decoder_forward,
    many_to_one_backward,
    many_to_one_forward,
)
from .sampling import sample
from .torch_weights import (
    grads_to_torch,
    gru_from_torch,
    gru_to_torch,
    lstm_from_torch,
    lstm_to_torch,
    rnn_from_torch,
    rnn_to_torch,
)
from .train import History, train

__all__ = [
    "Adagrad", "Adam", "EOS", "History", "NGramModel", "Optimizer", "SGD", "UNK", "addk_prob",
    "batch_sequences", "birnn_backward", "birnn_forward", "build_vocab", "cell_step",
    "clip_by_global_norm", "clip_by_value", "context_counts", "deep_rnn_backward",
    "deep_rnn_forward", "encode", "encoder_decoder_backward", "encoder_decoder_forward",
    "global_norm", "grad_check", "gru_backward", "gru_cell_backward", "gru_cell_forward",
    "gru_forward", "init_gru_params", "init_lstm_params", "init_params", "init_rnn_params",
    "jacobian_norms", "lm_batch", "lstm_backward", "lstm_cell_backward", "lstm_cell_forward",
    "lstm_forward", "many_to_one_backward", "many_to_one_forward", "ngram_counts",
    "numerical_gradient", "one_hot", "output_backward", "output_forward", "pad_sequences",
    "perplexity", "relative_error", "rnn_backward", "rnn_cell_backward", "rnn_cell_forward",
    "rnn_forward", "sample", "sequence_backward", "sequence_forward", "sequential_batches",
    "softmax", "softmax_cross_entropy", "train",
    "sigmoid", "grads_to_torch", "gru_from_torch", "gru_to_torch", "lstm_from_torch", "lstm_to_torch",
    "rnn_from_torch", "rnn_to_torch",
]
