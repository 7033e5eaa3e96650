"""The secret canary: every secret the server issues is unique, and none of
them reaches what the device printed, drew or left on flash outside the
token store (raw, URL-encoded or base64); an ID token not even that."""

import logging

from tests.support.canary import encodings, issued

from .conftest import device_config, screen_qr

from host_tools.authserver.user_agent import complete_device_flow


def test_no_secret_reaches_logs_screens_or_flash(make_server, boot_board, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    server = make_server(token_endpoint_auth_method="client_secret_post",
                         client_secret="canary-client-secret-7f3a9c", access_ttl=3,
                         rotate_refresh=True)
    config = device_config(server, tmp_path, client_secret=server.client_secret,
                           token_endpoint_auth_method="client_secret_post")
    board = boot_board(config, until=None, timeout=60)
    fields = board.pairing_fields()
    qr_text = screen_qr(board)
    assert complete_device_flow(qr_text, fields["user_code"]) == "approved"
    assert board.wait_state("paired")
    # Two refreshes with rotation, and the userinfo call, happen for real.
    assert board.emulator.wait_for(
        lambda e: sum(l.startswith("devflow: refresh") and "outcome=ok" in l for l in e.lines) >= 2, 30)
    flash = tmp_path / "flash-esp32-ssd1306"
    token_file = (flash / "devflow_tokens.bin").read_bytes()
    board.emulator.press(long=True)          # unpair: revocation, then wipe
    assert board.wait_state("needs_auth")
    board.stop()

    secrets = issued(server)
    assert len(secrets) == len(set(secrets)), "the server issued a secret twice"
    assert len(secrets) >= 8
    # The ID tokens (three dot-separated parts): the name is all the agent
    # keeps of one, so none is in the token store either.
    id_tokens = [s for s in secrets if s.count(".") == 2]
    assert len(id_tokens) >= 3 and not any(t.encode() in token_file for t in id_tokens)

    printed = "\n".join(board.emulator.lines)
    server_log = caplog.text
    leftovers = "".join(p.read_bytes().decode("latin-1") for p in flash.iterdir()
                        if p.name != "devflow_tokens.bin")
    places = {"serial": printed, "screen QR": qr_text, "server log": server_log,
              "flash": leftovers}
    for secret in secrets:
        for form in encodings(secret):
            for name, text in places.items():
                assert form not in text, "a secret reached the %s" % name
