"""Benchmarks: understanding, latency and throughput, data scale, training.

One command per figure (`python -m bench --help`); each writes JSON under reports/bench/ and
prints a table. docs/benchmarks.md explains the figures and how they were taken.
"""
