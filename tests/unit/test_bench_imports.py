"""`make bench` is not run by the suite (it wants a quiet machine), but every module of it
must at least import: merges that renamed a helper once left it unable to start."""

import importlib
import pkgutil
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
MODULES = sorted(info.name for info in pkgutil.iter_modules([str(BENCH)]) if info.name != "run")


@pytest.mark.parametrize("module", MODULES)
def test_every_bench_module_imports(module: str) -> None:
    importlib.import_module(f"bench.{module}")
