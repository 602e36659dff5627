"""Loaded by pytest before any test, for the whole suite (tests/ and the chapters checked by nbval).

Stored chapter outputs are compared digit for digit with a fresh run, and float results depend on
the SIMD kernels NumPy and OpenBLAS choose for the CPU. Pin the x86-64 level to AVX2 -- the same
setting as ``REPRODUCIBLE_ENV`` in course.py -- before any notebook kernel starts (kernels inherit
this environment), so outputs stored on one machine reproduce on another.
"""

import os

os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL AVX512_SPR")
