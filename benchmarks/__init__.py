"""Capcom's benchmarks (`make bench`, `python -m benchmarks`): every run in
benchmarks/history.jsonl, the latest of each in BENCHMARKS.md.

Never part of `make test`: they take minutes and measure this machine, not correctness.
"""
