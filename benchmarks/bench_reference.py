"""Forward + backward time of the NumPy references beside torch.nn on the CPU.

    python benchmarks/bench_reference.py [--repeats 20] [--n-x 64 --n-h 256 --m 64 --T 100]

Same shapes, float32, same number of threads for both; prints the median time of each and the
ratio NumPy / PyTorch (goal: at most 1.5). PyTorch is needed (``python3 course.py test --torch``
or ``pip install torch``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from functools import partial

import numpy as np

from autograder.reference.cells import init_params, sequence_backward, sequence_forward
from autograder.reference.torch_weights import gru_to_torch, lstm_to_torch, rnn_to_torch


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up (allocations, BLAS thread start)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_step(cell, x, dh, params, reset_after) -> None:
    h, cache = sequence_forward(cell, x, params, reset_after)
    sequence_backward(cell, dh, cache)


def torch_step(module, xt, dht) -> None:
    module.zero_grad()
    xt.grad = None
    out, _ = module(xt)
    out.backward(dht)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-x", type=int, default=64)
    parser.add_argument("--n-h", type=int, default=256)
    parser.add_argument("--m", type=int, default=64)
    parser.add_argument("--T", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    import torch

    threads = len(os.sched_getaffinity(0))
    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    n_x, n_h, m, T = args.n_x, args.n_h, args.m, args.T
    x = rng.standard_normal((n_x, m, T)).astype(np.float32)
    dh = rng.standard_normal((n_h, m, T)).astype(np.float32)
    print(f"forward + backward, float32, n_x={n_x} n_h={n_h} m={m} T={T}, {threads} threads, "
          f"median of {args.repeats}; numpy {np.__version__}, torch {torch.__version__}")
    print(f"{'cell':6} {'numpy ms':>10} {'torch ms':>10} {'ratio':>7}")

    cases = {"rnn": (torch.nn.RNN, rnn_to_torch), "gru": (torch.nn.GRU, gru_to_torch),
             "lstm": (torch.nn.LSTM, lstm_to_torch)}
    for cell, (module_cls, to_torch) in cases.items():
        reset_after = cell == "gru"  # torch.nn.GRU's form, so both compute the same thing
        params = init_params(cell, n_x, n_h, rng, reset_after=reset_after, dtype=np.float32)

        module = module_cls(n_x, n_h)
        module.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
                                for k, v in to_torch(params).items()})
        xt = torch.from_numpy(x.transpose(2, 1, 0).copy()).requires_grad_(True)
        dht = torch.from_numpy(dh.transpose(2, 1, 0).copy())

        t_np = median_time(partial(numpy_step, cell, x, dh, params, reset_after), args.repeats)
        t_torch = median_time(partial(torch_step, module, xt, dht), args.repeats)
        print(f"{cell:6} {1e3 * t_np:10.2f} {1e3 * t_torch:10.2f} {t_np / t_torch:7.2f}")


if __name__ == "__main__":
    main()
