"""The RNN course package: hidden reference implementations, data, and the grader.

* ``autograder.reference`` -- NumPy references for every exercise, one module per chapter topic.
* ``autograder.data`` -- corpora (downloaded at a pinned commit, SHA-256 checked, cached) and
  synthetic tasks generated from a seed.
"""

__version__ = "0.1.0"
