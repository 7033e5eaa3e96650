"""Spoofed or garbage NTP answers never move the clock (FAULTS 52, 53)."""

import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agent"))

from devflow.core import sntp  # noqa: E402
from devflow.core.errors import ProtocolError  # noqa: E402

BUILD = 1793491200          # 2026-11-01
NONCE = b"\x01\x02\x03\x04\x05\x06\x07\x08"
NTP_TO_UNIX_S = 2208988800  # 1900-01-01 to 1970-01-01


def reply(unix_s, mode=4, stratum=2, echo=NONCE, length=48):
    packet = bytearray(48)
    packet[0] = 0x20 | mode
    packet[1] = stratum
    packet[24:32] = echo
    struct.pack_into(">I", packet, 40, (unix_s + NTP_TO_UNIX_S) & 0xFFFFFFFF if unix_s else 0)
    return bytes(packet[:length])


def test_request_carries_the_nonce():
    packet = sntp.request(NONCE)
    assert len(packet) == 48 and packet[0] == 0x23 and bytes(packet[40:]) == NONCE


def test_a_good_answer_is_accepted():
    assert sntp.parse(reply(BUILD + 86400), NONCE, BUILD) == BUILD + 86400


@pytest.mark.parametrize("bad", [
    reply(BUILD + 86400, length=47),               # short
    b"",                                            # empty
    reply(BUILD + 86400, mode=3),                   # not a server
    reply(BUILD + 86400, stratum=0),                # kiss-of-death / unsynchronised
    reply(BUILD + 86400, stratum=16),
    reply(BUILD + 86400, echo=b"\x00" * 8),         # not an answer to us (spoofed)
    reply(0),                                       # timestamp 0
    reply(946684800),                               # year 2000: before the build
    reply(4102444800 + 86400 * 365 * 5),            # year 2135: absurd
])
def test_bad_answers_are_refused(bad):
    with pytest.raises(ProtocolError):
        sntp.parse(bad, NONCE, BUILD)


def test_sntp_compiles_for_boards(mpy_cross, repo_root, tmp_path):
    import subprocess
    for name in ("agent/devflow/core/sntp.py", "agent/devflow/adapters/wifi.py"):
        subprocess.run([mpy_cross, "-o", str(tmp_path / "x.mpy"), str(repo_root / name)], check=True)
