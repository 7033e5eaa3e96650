"""Fixtures for the transport tests: a test CA, scripted servers, and a way
to run the same client steps under CPython and the real MicroPython."""

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(REPO, "agent")
for _p in (AGENT, HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import trustme  # noqa: E402

from http_testserver import ScriptedServer  # noqa: E402
import http_mpy_client  # noqa: E402

MICROPYTHON = os.path.join(REPO, ".venv", "bin", "micropython")
MPY_TIMEOUT_S = 30


@pytest.fixture(scope="session")
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def make_server():
    servers = []

    def make(**kwargs):
        server = ScriptedServer(**kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def http_server(make_server):
    return make_server()


@pytest.fixture
def https_server(make_server, ca):
    return make_server(ca=ca)


def run_micropython_client(script, tmp_path, heapsize=None):
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script))
    env = dict(os.environ, MICROPYPATH=":".join([AGENT, HERE, ".frozen"]))
    argv = [MICROPYTHON]
    if heapsize:
        argv += ["-X", "heapsize=" + heapsize]
    proc = subprocess.run(argv + [os.path.join(HERE, "http_mpy_client.py"), str(path)],
                          capture_output=True, env=env, timeout=MPY_TIMEOUT_S)
    if proc.returncode != 0:
        raise AssertionError("micropython failed:\n" + proc.stderr.decode("utf-8", "replace") + proc.stdout.decode("utf-8", "replace")[-1500:])
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]


@pytest.fixture(params=["cpython", "micropython"])
def client(request, tmp_path):
    """client(steps, ca_file=None, timeout_s=5, deadline_s=20) -> results,
    one dict per step, run in-process (CPython) or in the real MicroPython."""
    runtime = request.param
    if runtime == "micropython" and not os.path.exists(MICROPYTHON):
        pytest.skip("real MicroPython not installed (.venv/bin/micropython)")

    def run(steps, ca_file=None, timeout_s=5, deadline_s=20):
        script = {"ca_file": ca_file, "timeout_s": timeout_s, "deadline_s": deadline_s,
                  "steps": steps}
        if runtime == "cpython":
            results = http_mpy_client.run(script)
        else:
            results = run_micropython_client(script, tmp_path)
        for result in results:
            assert "escaped" not in result, result
        return results

    run.runtime = runtime
    return run
