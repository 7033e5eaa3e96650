"""Fixtures for the board tests: the local authorization server (optionally
deterministic: fixed user code, fixed public URL, a shared virtual clock),
emulated boards running the shipped board files, goldens and QR reading."""

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for _p in (str(ROOT), str(ROOT / "agent"), str(ROOT / "boards")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from tests.support.servers import FIXED_CODE, PUBLIC_URL, emulated_machine, server_factory  # noqa: E402,F401
from tests.support.running import boot_boards, panel_qr  # noqa: E402,F401

GOLDENS = Path(__file__).parent / "goldens"
WAIT_S = 20
BOARDS = ("esp32-ssd1306", "pico-w-ssd1306", "ttgo-tdisplay", "m5stack-core", "headless", "tv")


@pytest.fixture
def make_server(tmp_path, monkeypatch):
    yield from server_factory(tmp_path, monkeypatch)


def device_config(server, tmp_path, **extra):
    local = "http://127.0.0.1:%d" % server.port
    config = {"client_id": server.client_id, "scope": "openid profile offline_access"}
    if server.issuer.startswith(PUBLIC_URL):
        # The public URL is only shown; requests go to the loopback port.
        config["device_authorization_endpoint"] = local + "/oauth2/device/authorize"
        config["token_endpoint"] = local + "/oauth2/token"
    else:
        config["issuer"] = server.issuer
    config.update(extra)
    path = tmp_path / "devflow.json"
    path.write_text(json.dumps(config))
    return path


@pytest.fixture
def boot_board(tmp_path):
    yield from boot_boards(tmp_path)


def assert_golden(image, name, tmp_path):
    """The panel image equals goldens/NAME.png, pixel for pixel.
    DEVFLOW_UPDATE_GOLDENS=1 rewrites the golden instead."""
    from PIL import Image
    path = GOLDENS / (name + ".png")
    if os.environ.get("DEVFLOW_UPDATE_GOLDENS") == "1" or not path.exists():
        if not path.exists() and os.environ.get("DEVFLOW_UPDATE_GOLDENS") != "1":
            pytest.fail("no golden %s (run with DEVFLOW_UPDATE_GOLDENS=1)" % path.name)
        image.save(path, optimize=True)
        return
    want = Image.open(path).convert("RGB")
    if want.size != image.size or want.tobytes() != image.convert("RGB").tobytes():
        got = tmp_path / (name + ".actual.png")
        image.save(got)
        pytest.fail("panel differs from golden %s (actual saved at %s)" % (path.name, got))


@pytest.fixture
def emu_machine():
    yield from emulated_machine()


@pytest.fixture
def mp_run():
    import subprocess
    exe = ROOT / ".venv" / "bin" / "micropython"
    if not exe.exists():
        pytest.skip("real MicroPython not installed (.venv/bin/micropython)")

    def run(source, path_dirs=(), timeout=60):
        env = dict(os.environ, MICROPYPATH=":".join(list(path_dirs) + [".frozen"]))
        proc = subprocess.run([str(exe), "-X", "heapsize=4m", "-c", source], capture_output=True,
                              env=env, timeout=timeout)
        if proc.returncode != 0:
            raise AssertionError("micropython failed:\n" + proc.stderr.decode("utf-8", "replace")
                                 + proc.stdout.decode("utf-8", "replace")[-2000:])
        return proc.stdout.decode("utf-8")
    return run
