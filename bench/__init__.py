"""Benchmarks: `python -m bench [--quick] [--postgres] [--only NAME ...]`, one JSON line per benchmark."""
