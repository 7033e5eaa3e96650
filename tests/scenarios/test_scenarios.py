# The protocol scenarios, once under CPython and once under MicroPython.
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
DATA = HERE / "data"
FILES = sorted(p.name for p in DATA.glob("*.json"))

sys.path.insert(0, str(ROOT / "agent"))
sys.path.insert(0, str(HERE))
from runner import run_scenario  # noqa: E402


def test_there_are_many_scenarios():
    assert len(FILES) >= 40


@pytest.mark.parametrize("name", FILES)
def test_scenario_cpython(name):
    scenario = json.loads((DATA / name).read_text())
    assert run_scenario(scenario) is None


def test_scenarios_micropython(micropython):
    env = dict(os.environ, MICROPYPATH=f"{ROOT / 'agent'}:{HERE}")
    out = subprocess.run([micropython, str(HERE / "mpy_main.py"), str(DATA)], env=env,
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    lines = out.stdout.splitlines()
    failed = [line for line in lines if not line.startswith("PASS ")]
    assert out.returncode == 0, out.stderr
    assert failed == [], "\n".join(failed)
    assert len(lines) == len(FILES)
