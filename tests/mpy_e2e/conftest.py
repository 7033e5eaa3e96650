"""The agent, unchanged, on the virtual board: the real MicroPython unix
port, real sockets and TLS, the local authorization server."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "agent"))
BIN = Path(sys.executable).parent

# The heap budget on the unix port (64-bit; a 32-bit board needs about 0.72x:
# bench/wasm32 measures the ratio).
HEAP_BUDGET = "48k"


def _have(program):
    return (BIN / program).exists() or shutil.which(program) is not None


needs_micropython = pytest.mark.skipif(
    not (_have("micropython") and _have("mpy-cross")), reason="MicroPython unix port or mpy-cross not installed")
