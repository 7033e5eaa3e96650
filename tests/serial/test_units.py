"""The pieces without a board: ports, esptool arguments, the monitor's
printer and QR, config checks, the virtual-board command."""

import io
import subprocess
import sys
from types import SimpleNamespace

import pytest
import zxingcpp

from host_tools.serial import devconfig, flash, ports, terminal_qr, tools
from host_tools.serial.errors import ToolError
from host_tools.serial.monitor import Printer, load_parser
from serial_support import ROOT, cli_env
from termshot import render


def _ports(monkeypatch, *ids):
    infos = [SimpleNamespace(device=f"/dev/ttyUSB{i}", vid=v, pid=p) for i, (v, p) in enumerate(ids)]
    infos = [type("Info", (), dict(vars(i), __lt__=lambda a, b: a.device < b.device))() for i in infos]
    monkeypatch.setattr(ports.serial.tools.list_ports, "comports", lambda: infos)


def test_port_choice_explicit_then_environment_then_usb(monkeypatch, tmp_path):
    _ports(monkeypatch, (0x10C4, 0xEA60), (0x1234, 0x5678))
    assert ports.resolve_port(None, {}) == "/dev/ttyUSB0"
    assert ports.resolve_port("socket://127.0.0.1:5", {"DEVFLOW_PORT": "/dev/null"}) == "socket://127.0.0.1:5"
    assert ports.resolve_port(None, {"DEVFLOW_PORT": "/dev/null"}) == "/dev/null"
    _ports(monkeypatch, (0x10C4, 0xEA60), (0x2E8A, 0x0005))
    with pytest.raises(ToolError, match="several boards found .*choose one with --port or DEVFLOW_PORT"):
        ports.resolve_port(None, {})


def test_another_micropython_build_is_chosen_by_environment(monkeypatch, tmp_path):
    # How a 32-bit unix port (or any other build) runs the virtual board and the bench.
    assert tools.find_program("micropython").startswith(str(ROOT))
    other = tmp_path / "micropython32"
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    monkeypatch.setenv("DEVFLOW_MICROPYTHON", str(other))
    assert tools.find_program("micropython") == str(other)
    monkeypatch.setenv("DEVFLOW_MPY_CROSS", str(tmp_path / "missing"))
    with pytest.raises(ToolError, match="DEVFLOW_MPY_CROSS names .*not an executable"):
        tools.find_program("mpy-cross")


def test_esptool_arguments():
    runs = flash.esptool_commands("/dev/ttyUSB0", "fw.bin", chip="esp32", baud=921600, erase=True, python="py")
    assert runs == [
        ["py", "-m", "esptool", "--chip", "esp32", "--port", "/dev/ttyUSB0", "--baud", "921600", "erase_flash"],
        ["py", "-m", "esptool", "--chip", "esp32", "--port", "/dev/ttyUSB0", "--baud", "921600",
         "write_flash", "-z", "0x1000", "fw.bin"],
    ]
    assert flash.esptool_commands("p", "f.bin", chip="esp32s3", python="py")[0][-2] == "0x0"
    with pytest.raises(ToolError, match="unknown chip"):
        flash.esptool_commands("p", "f.bin", chip="rp2040")


def _printed(line, color=True):
    out = io.StringIO()
    Printer(load_parser(), color, out).line(line)
    return out.getvalue()


def test_monitor_qr_falls_back_to_verification_uri_and_keeps_the_code_as_text():
    shown = _printed("devflow: pairing_code user_code=ABCD-EFGH verification_uri=https://id.example.com/device")
    assert "enter: ABCD-EFGH" in shown
    assert [r.text for r in zxingcpp.read_barcodes(render(shown))] == ["https://id.example.com/device"]


def test_host_parser_reads_back_what_the_agent_formats():
    # The parser left the agent (host_tools/logparse.py): it must still be
    # format_line's inverse, escapes included.
    from devflow.core.logline import format_line
    from host_tools.logparse import parse_line
    fields = {"user_code": "WDJB-MJHT", "note": 'a "quoted" = value\\', "evil": "x\x1b[2J\r\ny\u20ac",
              "interval": 5, "empty": ""}
    line = format_line("pairing_code", fields)
    assert parse_line("noise " + line + "\r\n") == ("pairing_code", {k: str(v) for k, v in fields.items()})
    assert parse_line(format_line("paired")) == ("paired", {})
    assert parse_line("MPY: soft reboot") is None


def test_monitor_prints_other_lines_as_they_are():
    assert _printed("MPY: soft reboot") == "MPY: soft reboot\n"
    assert _printed("devflow: error code=expired_token", color=False) == "[error] code=expired_token\n"


def test_terminal_qr_has_a_quiet_zone_and_black_on_white():
    rows = terminal_qr.matrix("https://x.example", border=4)
    assert not any(rows[0]) and not any(r[0] for r in rows) and any(rows[4])
    drawn = terminal_qr.render("https://x.example").splitlines()
    assert all(l.startswith("\x1b[30;107m") and l.endswith("\x1b[0m") for l in drawn)
    assert len(drawn) == (len(rows) + 1) // 2


def test_config_redaction_hides_every_secret():
    config = {"wifi": {"ssid": "home", "password": "p" * 10}, "client_secret": "s" * 10, "ca_certs": "x"}
    shown = devconfig.redacted(config)
    assert shown["wifi"]["password"] == shown["client_secret"] == "***"
    assert config["wifi"]["password"] == "p" * 10  # the original is untouched


def test_virtual_board_command_prints_its_ports(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "host_tools.serial", "virtual-board", "--flash", str(tmp_path / "f")],
        stdout=subprocess.PIPE, text=True, env=cli_env(),
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
    finally:
        proc.terminate()
        status = proc.wait(timeout=10)
    assert lines[1].startswith("pty: /dev/pts/") and lines[2].startswith("socket: socket://127.0.0.1:")
    assert status == 0  # stopped cleanly, its interpreter with it
