"""Benchmark of the todo service on PostgreSQL against minimal reference apps (README.md).

Run it as `.venv/bin/python bench/run.py`; cli.py reads the options and runs the modes."""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPOSITORY = BENCH_DIR.parent
