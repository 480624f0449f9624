"""Capcom's benchmarks (`make bench`, `python -m benchmarks`); results in BENCHMARKS.md.

Never part of `make test`: they take minutes and measure this machine, not correctness.
"""
