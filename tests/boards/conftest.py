"""Fixtures for the board tests: the local authorization server (optionally
deterministic: fixed user code, fixed public URL, a shared virtual clock),
emulated boards running the shipped board files, goldens and QR reading."""

import json
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for _p in (str(ROOT), str(ROOT / "agent"), str(ROOT / "boards")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from host_tools.authserver import AuthServer, ServerSettings  # noqa: E402

GOLDENS = Path(__file__).parent / "goldens"
WAIT_S = 20
FIXED_CODE = "BCDF-GHJK"
PUBLIC_URL = "https://devflow.test"
BOARDS = ("esp32-ssd1306", "pico-w-ssd1306", "ttgo-tdisplay", "m5stack-core", "headless", "tv")


@pytest.fixture
def make_server(monkeypatch):
    servers = []

    def make(fixed=False, **settings):
        settings.setdefault("interval", 1)
        if fixed:
            # Goldens need the same code and URL every run.
            from host_tools.authserver import oauth
            monkeypatch.setattr(oauth, "new_user_code", lambda charset, length: FIXED_CODE)
            settings["issuer_url"] = PUBLIC_URL
        server = AuthServer(ServerSettings(**settings)).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


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


class RunningBoard:
    """An Emulator in a thread, with its exit status."""

    def __init__(self, emulator, until, timeout):
        self.emulator = emulator
        self.result = {}
        self.thread = threading.Thread(target=self._run, args=(until, timeout), daemon=True)
        self.thread.start()

    def _run(self, until, timeout):
        try:
            self.result["code"] = self.emulator.run(until=until, timeout=timeout)
        except BaseException as e:       # a PowerCut ends the run like a real one
            self.result["error"] = e
            with self.emulator.changed:
                self.emulator.changed.notify_all()

    def wait(self, predicate, timeout=WAIT_S):
        return self.emulator.wait_for(predicate, timeout)

    def wait_state(self, state, timeout=WAIT_S):
        return self.wait(lambda e: e.state == state, timeout)

    def pairing_fields(self, index=-1):
        from devflow.core.logline import parse_line
        lines = [l for l in self.emulator.lines if "devflow: pairing_code" in l]
        return parse_line(lines[index])[1]

    def finish(self, timeout=WAIT_S):
        self.thread.join(timeout)
        return self.result.get("code")

    def stop(self):
        self.emulator.stop()
        self.thread.join(WAIT_S)


@pytest.fixture
def boot_board(tmp_path):
    boards = []

    def boot(config_path, board, until="paired", timeout=60, clock=None, faults=None,
             flash=None):
        from host_tools.emulator.runner import Emulator
        emulator = Emulator(board, config_path, flash or tmp_path / ("flash-" + board),
                            out=lambda line: None, clock=clock, faults=faults)
        running = RunningBoard(emulator, until, timeout)
        boards.append(running)
        return running

    yield boot
    for running in boards:
        running.stop()


def read_qr(image):
    import zxingcpp
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def panel_qr(emulator):
    """The QR text on the panel (read at the board's PNG scale), or None."""
    image = emulator.image
    if image is None:
        return None
    scale = emulator.spec.png_scale
    texts = read_qr(image.resize((image.width * scale, image.height * scale)))
    return texts[0] if texts else None


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
    """The emulated machine module, installed and reset for one test."""
    from host_tools.emulator import install_board_modules
    install_board_modules()
    import machine
    machine.reset_emulator()
    yield machine
    machine.reset_emulator()


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
