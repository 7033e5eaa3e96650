"""Every board file boots in the emulator and pairs, end to end, with the
local authorization server: the panel is read from the emulated display
controller's memory, compared with goldens, and its QR decoded."""

import pytest

from devflow.core import screens
from host_tools.authserver.user_agent import complete_device_flow
from host_tools.emulator.vclock import VirtualClock

from conftest import BOARDS, FIXED_CODE, PUBLIC_URL, assert_golden, device_config, panel_qr
from panel_oracle import expected_panel


def _local(server, url):
    return url.replace(PUBLIC_URL, "http://127.0.0.1:%d" % server.port)


def _first_pairing_frame(running):
    emu = running.emulator
    if emu.spec.name == "headless":
        assert running.wait(lambda e: any("pairing_code" in l for l in e.lines))
        return None
    # Manual clock: the board drew its first pairing frame and now waits
    # for the test to let time pass, so this frame stays put.
    found = {}

    def shows_qr(e):
        found["qr"] = panel_qr(e) if e.state == "polling" else None
        return found["qr"] is not None

    assert running.wait(shows_qr), (running.emulator.state, running.emulator.lines[-3:])
    return found["qr"]


@pytest.mark.parametrize("board", BOARDS)
def test_board_pairs_and_its_screens_match_goldens(make_server, boot_board, tmp_path, board):
    clock = VirtualClock(manual=True)
    server = make_server(fixed=True, clock=clock.wall_s)
    running = boot_board(device_config(server, tmp_path), board, clock=clock)
    qr = _first_pairing_frame(running)
    emu = running.emulator
    fields = running.pairing_fields()
    assert fields["user_code"] == FIXED_CODE
    if qr is not None:
        assert qr in (fields["verification_uri_complete"], fields["verification_uri"])
        assert_golden(emu.image, board + "-pairing", tmp_path)
        assert emu.image.tobytes() == expected_panel(board, emu._board).tobytes()
    url = _local(server, qr or fields["verification_uri"])
    assert complete_device_flow(url, fields["user_code"]) == "approved"
    clock.run_free()              # virtual time runs: the next poll gets the token
    assert running.finish() == 0, emu.lines[-5:]
    assert emu.app.flow.screen[screens.KIND] == "connected"
    assert any('kind=connected text="Connected | Alice Example"' in l for l in emu.lines)
    if emu.image is not None:
        assert_golden(emu.image, board + "-connected", tmp_path)
        assert emu.image.tobytes() == expected_panel(board, emu._board).tobytes()
