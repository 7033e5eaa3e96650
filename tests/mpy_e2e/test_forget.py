"""app.forget() under the real MicroPython: a dropped module's heap comes
back, and importing it again later (a new pairing) works."""

import subprocess

from host_tools.serial.agent_board import install_agent

from .conftest import needs_micropython

PROGRAM = r"""
import gc, sys
from app import forget
gc.collect(); base = gc.mem_alloc()
import devflow.core.qrfit
gc.collect(); loaded = gc.mem_alloc()
forget("devflow.core.qrfit", "devflow.core.qr")
gc.collect(); dropped = gc.mem_alloc()
print("gone", "devflow.core.qr" not in sys.modules and not hasattr(sys.modules["devflow.core"], "qr"))
print("freed", loaded - dropped, "of", loaded - base)
from devflow.core.qrfit import fit_qr
print("again", fit_qr(64, 64, ("https://as.example/device",), 2, 2) is not None)
"""


@needs_micropython
def test_forget_frees_a_module_and_it_can_come_back(micropython, tmp_path):
    # The agent as a board gets it: .mpy files in a flash folder.
    config = tmp_path / "devflow.json"
    config.write_text("{}")
    install_agent(str(tmp_path / "flash"), "headless", str(config))
    done = subprocess.run([micropython, "-c", PROGRAM], cwd=tmp_path / "flash", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines["gone"] == "True"
    freed, _, used = lines["freed"].split()
    # Only the interned names stay: nearly all of the import comes back.
    assert int(freed) > 0.8 * int(used)
    assert lines["again"] == "True"
