"""The emulated board pairs with the local authorization server, for real:
HTTP(S) on loopback, the agent's own client, the QR read back by zxing-cpp."""

import pytest
import trustme

from devflow.core import screens
from host_tools.authserver.user_agent import complete_device_flow

from .conftest import device_config, screen_qr


def _token_polls(server):
    return [e for e in server.events.snapshot() if e.get("endpoint") == "token"
            and (e.get("grant_type") or "").endswith("device_code")]


def _assert_polls_respect_interval(server, interval):
    polls = _token_polls(server)
    assert polls, "the device never polled"
    for earlier, later in zip(polls, polls[1:]):
        if earlier.get("device_code_id") == later.get("device_code_id"):
            assert later["t"] - earlier["t"] >= interval, "a poll came earlier than the interval"


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_pairs_and_shows_connected(make_server, boot_board, tmp_path, tls):
    server = make_server(tls=tls)
    board = boot_board(device_config(server, tmp_path))
    fields = board.pairing_fields()
    qr_text = screen_qr(board)
    # 128x64 cannot hold the complete URI at 2 px a module with a quiet
    # zone, so the fit rules fall back to the short URI, and the code is text.
    assert qr_text in (fields["verification_uri_complete"], fields["verification_uri"])
    cadata = server.ca_pem.decode() if tls else None
    assert complete_device_flow(qr_text, fields["user_code"], cadata=cadata) == "approved"
    assert board.finish() == 0
    flow = board.emulator.app.flow
    assert flow.screen[screens.KIND] == "connected"
    assert flow.screen[screens.LINES] == ("Alice Example",)
    _assert_polls_respect_interval(server, 1)
    assert (tmp_path / "flash-esp32-ssd1306" / "devflow_tokens.bin").exists()


def test_tv_board_shows_the_complete_uri(make_server, boot_board, tmp_path):
    server = make_server()
    board = boot_board(device_config(server, tmp_path), board="tv")
    fields = board.pairing_fields()
    assert screen_qr(board) == fields["verification_uri_complete"]
    assert complete_device_flow(fields["verification_uri_complete"], fields["user_code"]) == "approved"
    assert board.finish() == 0


def test_wrong_ca_is_refused_before_anything_is_sent(make_server, boot_board, tmp_path):
    server = make_server(tls=True)
    other_ca = trustme.CA().cert_pem.bytes().decode()
    config = device_config(server, tmp_path, ca_certs=other_ca)
    board = boot_board(config, until="code", timeout=8)
    assert board.emulator.wait_for(
        lambda e: any("network_error" in l and "kind=tls" in l for l in e.lines), 20)
    board.stop()
    # Not one HTTP request reached the server: the handshake failed first.
    assert len(server.events) == 0
    assert board.emulator.app.flow.screen[screens.KIND] == "network"


def test_denied_then_button_asks_for_a_new_code(make_server, boot_board, tmp_path):
    server = make_server()
    board = boot_board(device_config(server, tmp_path), until=None, timeout=60)
    first = board.pairing_fields()
    assert complete_device_flow(first["verification_uri"], first["user_code"], allow=False) == "denied"
    assert board.wait_state("denied")
    assert board.emulator.app.flow.screen[screens.KIND] == "denied"
    board.emulator.press()
    second = board.pairing_fields(count=2)
    assert second["user_code"] != first["user_code"]
