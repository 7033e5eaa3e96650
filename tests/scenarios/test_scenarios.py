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


_DROP_PAIRING = """
import gc, json, sys
from runner import Run, _response
with open(sys.argv[1]) as f:
    scenario = json.load(f)
run = Run(scenario)
for step in scenario["steps"]:
    run.next_request()
    run.flow.handle_response(run.now, _response(step["reply"]), step.get("wall"))
    run._drain()
print("state", run.flow.state)
import devflow.core
gc.collect()
before = gc.mem_alloc()
sys.modules.pop("devflow.core.authorization")   # what app.forget() does
delattr(devflow.core, "authorization")
gc.collect()
print("freed", before - gc.mem_alloc())
run.flow.request_due(run.now)    # the next two turns take up the tokens
run.flow.request_due(run.now)
print("state", run.flow.state, "devflow.core.authorization" in sys.modules)
"""


def test_once_paired_the_pairing_module_can_leave_the_heap(micropython, tmp_path):
    # Nothing the approved flow keeps (flow, tokens) holds authorization.py,
    # so app.forget() frees it all before the next turn loads the session;
    # it is not loaded again while paired.
    script = tmp_path / "drop_pairing.py"
    script.write_text(_DROP_PAIRING)
    env = dict(os.environ, MICROPYPATH=f"{ROOT / 'agent'}:{HERE}")
    out = subprocess.run([micropython, str(script), str(DATA / "id_token_name_shown.json")], env=env,
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[0] == "state approved"
    assert int(lines[1].split()[1]) > 1000    # its code (2.4 KB compiled from source)
    assert lines[2] == "state paired False"
