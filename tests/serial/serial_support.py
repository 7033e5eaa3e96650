"""Helpers for the serial tool tests: the CLI, stock mpremote, the stand-in main.py."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from host_tools.serial.virtual_board import VirtualBoard

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

PAIRING_URI = "https://id.example.com/device"
PAIRING_COMPLETE = "https://id.example.com/device?user_code=WDJB-MJHT"

# A stand-in main.py: prints what the agent prints when it asks for pairing.
PAIRING_MAIN = f"""\
import sys
print('booting')
print('devflow: state name=start')
print('devflow: pairing_code user_code=WDJB-MJHT verification_uri={PAIRING_URI} verification_uri_complete="{PAIRING_COMPLETE}"')
"""


def cli_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.pop("DEVFLOW_PORT", None)
    env["NO_COLOR"] = "1"
    return env


def cli(*args, timeout=60, env=None, **kwargs):
    """Run `python -m host_tools.serial ARGS`; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "host_tools.serial", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=env or cli_env(), stdin=subprocess.DEVNULL, **kwargs,
    )


def mpremote(port, *args, timeout=30):
    return subprocess.run(
        [str(BIN / "mpremote"), "connect", port, *map(str, args)],
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def start_board(flash):
    flash.mkdir()
    vb = VirtualBoard(str(flash)).start()
    vb.wait_for(b">>> ", timeout=15)
    return vb


def make_agent_tree(tmp_path):
    """A copy of agent/ and boards/ (or a small fake when they are absent),
    with main.py replaced by one that prints a pairing line at once."""
    agent, boards = tmp_path / "agent", tmp_path / "boards"
    if (ROOT / "agent" / "devflow").is_dir():
        shutil.copytree(ROOT / "agent", agent, ignore=shutil.ignore_patterns("__pycache__", "package.json"))
    else:
        (agent / "devflow" / "core").mkdir(parents=True)
        (agent / "devflow" / "__init__.py").write_text("")
        (agent / "devflow" / "core" / "__init__.py").write_text("")
        (agent / "app.py").write_text("def run():\n    pass\n")
    boards.mkdir()
    (boards / "virtual.py").write_text("NAME = 'virtual'\n")
    (agent / "main.py").write_text(PAIRING_MAIN)
    return agent, boards
