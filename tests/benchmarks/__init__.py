"""Benchmarks run by hand (`python -m tests.benchmarks.bench_flow`), never collected by pytest."""
