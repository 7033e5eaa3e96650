"""Fixtures for the emulator tests: paths, the real MicroPython, clean state."""

import os

import pytest

from emu_support import MICROPYTHON, run_micropython


@pytest.fixture
def mp_run():
    if not os.path.exists(MICROPYTHON):
        pytest.skip("real MicroPython not installed (.venv/bin/micropython)")
    return run_micropython


@pytest.fixture
def emu_machine():
    """The emulated machine module, installed and reset for one test."""
    from host_tools.emulator import install_board_modules
    install_board_modules()
    import machine
    machine.reset_emulator()
    yield machine
    machine.reset_emulator()
