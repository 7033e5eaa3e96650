"""Fixtures for end-to-end runs: a real authorization server on loopback,
an emulated board running the agent, and a reader for its QR code."""

import json
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "agent"))

from host_tools.authserver import AuthServer, ServerSettings  # noqa: E402

WAIT_S = 30


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(**settings):
        settings.setdefault("interval", 1)
        if settings.get("tls"):
            settings.setdefault("certs_dir", str(tmp_path / "certs"))
        server = AuthServer(ServerSettings(**settings)).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def device_config(server, tmp_path, **extra):
    config = {"issuer": server.issuer, "client_id": server.client_id,
              "scope": "openid profile offline_access"}
    if server.ca_pem_path:
        config["ca_certs"] = server.ca_pem.decode()
    config.update(extra)
    path = tmp_path / "devflow.json"
    path.write_text(json.dumps(config))
    return path


class RunningBoard:
    """An Emulator in a thread, with its exit status."""

    def __init__(self, emulator, until, timeout):
        self.emulator = emulator
        self.result = {}
        self.thread = threading.Thread(
            target=lambda: self.result.setdefault("code", emulator.run(until=until, timeout=timeout)),
            daemon=True)
        self.thread.start()

    def wait_state(self, state, timeout=WAIT_S):
        return self.emulator.wait_for(lambda e: e.state == state, timeout)

    def codes_shown(self):
        return [l for l in self.emulator.lines if "devflow: pairing_code" in l]

    def pairing_fields(self, count=1, timeout=WAIT_S):
        """Waits for the count-th pairing code the board printed; its fields."""
        from devflow.core.logline import parse_line
        assert self.emulator.wait_for(lambda e: len(self.codes_shown()) >= count, timeout), \
            "the board printed no pairing code"
        return parse_line(self.codes_shown()[count - 1])[1]

    def finish(self, timeout=WAIT_S):
        self.thread.join(timeout)
        return self.result.get("code")

    def stop(self):
        self.emulator.stop()
        self.thread.join(WAIT_S)


@pytest.fixture
def boot_board(tmp_path):
    boards = []

    def boot(config_path, board="esp32-ssd1306", until="paired", timeout=60):
        from host_tools.emulator.runner import Emulator
        emulator = Emulator(board, config_path, tmp_path / ("flash-" + board),
                            screenshot=str(tmp_path / (board + ".png")), out=lambda line: None)
        running = RunningBoard(emulator, until, timeout)
        boards.append(running)
        return running

    yield boot
    for running in boards:
        running.stop()


def read_qr(image):
    """Every QR text zxing-cpp finds in a PIL image."""
    import zxingcpp
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def screen_qr(running, timeout=WAIT_S):
    """Wait until the panel shows a QR code, and return its text."""
    found = {}

    def has_qr(emulator):
        if emulator.image is None:
            return False
        # Decode at the PNG's scale (what a phone photographing it would see).
        spec = emulator.spec
        big = emulator.image.resize((emulator.image.width * spec.png_scale,
                                     emulator.image.height * spec.png_scale))
        texts = read_qr(big)
        if texts:
            found["text"] = texts[0]
        return bool(texts)

    assert running.emulator.wait_for(has_qr, timeout), "no QR code appeared on the panel"
    return found["text"]
