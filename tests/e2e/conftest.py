"""Fixtures for end-to-end runs: a real authorization server on loopback,
an emulated board running the agent, and a reader for its QR code."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "agent"))

from tests.support.servers import server_factory  # noqa: E402
from tests.support.running import WAIT_S, boot_boards, read_qr  # noqa: E402



@pytest.fixture
def make_server(tmp_path, monkeypatch):
    yield from server_factory(tmp_path, monkeypatch)


def device_config(server, tmp_path, **extra):
    config = {"issuer": server.issuer, "client_id": server.client_id,
              "scope": "openid profile offline_access"}
    if server.ca_pem_path:
        config["ca_certs"] = server.ca_pem.decode()
    config.update(extra)
    path = tmp_path / "devflow.json"
    path.write_text(json.dumps(config))
    return path


@pytest.fixture
def boot_board(tmp_path):
    yield from boot_boards(tmp_path, screenshots=True)


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
