# Shared fixtures: where the real MicroPython and mpy-cross live.
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Agent files write `from micropython import const` (free on a board: the
# compiler drops it); on CPython the emulator's `micropython` module answers.
from host_tools.emulator.install import install_micropython_module  # noqa: E402

install_micropython_module()
BIN = Path(sys.executable).parent


def _tool(name):
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make venv` (it installs the pinned version)")
    return found


@pytest.fixture(scope="session")
def micropython():
    return _tool("micropython")


@pytest.fixture(scope="session")
def mpy_cross():
    return _tool("mpy-cross")


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session", autouse=True)
def secret_canary():
    """Taps every authorization server and board of the run (see
    tests/support/canary.py); tests/zz_canary reads what they saw."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "agent"))
    from tests.support import canary
    uninstall = canary.install()
    yield canary
    uninstall()
