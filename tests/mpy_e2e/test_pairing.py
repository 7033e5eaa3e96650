"""Pairing under real MicroPython: the code shown, the QR decoded from the
panel's PNG, the user approving, tokens in the flash folder, paired."""

import os

import pytest

from host_tools.serial.pairing_check import pair, read_qr
from host_tools.serial.panel import PanelReader
from host_tools.serial.supervisor import I2C_STREAM

from .conftest import HEAP_BUDGET, needs_micropython

pytestmark = needs_micropython


@pytest.mark.parametrize("tls", [False, True], ids=["http", "https"])
def test_pairs_on_the_esp32_board(tmp_path, tls):
    # Over https the access token lives 2 s, so one refresh is part of it.
    result = pair(str(tmp_path), board="esp32-ssd1306", tls=tls, refresh=tls)
    assert result.ok, f"{result.failure}; board said: {result.output[-600:]!r}"
    # 128x64 at 2 px a module cannot hold the complete URI, so the QR
    # carries the short one and the code is text beside it (as in the emulator).
    assert result.qr_text in (result.fields["verification_uri_complete"], result.fields["verification_uri"])
    assert result.qr_text.startswith("https://" if tls else "http://")
    assert os.path.getsize(result.token_file) > 0
    # The glass ended on the connected screen (pair() waited for the QR
    # to go): something is lit there.
    assert read_qr(result.connected_png) == []
    after = PanelReader(str(tmp_path / "periph" / I2C_STREAM)).image()
    assert any(after.pixels), "the connected screen is blank"


def test_headless_board_pairs_from_the_log(tmp_path):
    result = pair(str(tmp_path), board="headless", tls=True, refresh=False)
    assert result.ok, result.failure


@pytest.mark.xfail(strict=True, reason=(
    "measured: a full https pairing needs -X heapsize=73k on the unix port with the agent "
    "as .mpy on the filesystem (bench/agent_bench.py --min-heap); budget " + HEAP_BUDGET))
def test_pairs_within_the_heap_budget(tmp_path):
    result = pair(str(tmp_path), board="esp32-ssd1306", tls=True, heapsize=HEAP_BUDGET, timeout=15)
    assert result.ok, result.failure


def test_pairs_within_the_heap_budget_as_frozen_firmware(tmp_path):
    # As frozen firmware: the bytecode run in place from a ROMFS image,
    # and the names in flash too (modelled: interned from the image before
    # the agent runs; the unix port holds the image and the names in its
    # heap, a board in flash, so both come on top of the budget). Measured
    # with 6.75 KB to spare (bench/agent_bench.py --min-heap --firmware).
    # From the image alone, its names in the heap, the figure is at the
    # budget itself (48-48.5 KB, run to run): a pass or a fail there says
    # nothing, so no test holds it.
    result = pair(str(tmp_path), board="esp32-ssd1306", tls=True, heapsize=HEAP_BUDGET, timeout=15,
                  frozen=True, heap_excludes_image=True, names_in_flash=True)
    assert result.ok, f"{result.failure}; board said: {result.output[-600:]!r}"
