"""Fixtures for the emulator tests: paths, the real MicroPython, clean state."""

import os

import pytest

from emu_support import MICROPYTHON, run_micropython
from tests.support.servers import emulated_machine


@pytest.fixture
def mp_run():
    if not os.path.exists(MICROPYTHON):
        pytest.skip("real MicroPython not installed (.venv/bin/micropython)")
    return run_micropython


@pytest.fixture
def emu_machine():
    yield from emulated_machine()
