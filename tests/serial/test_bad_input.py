"""Bad ports, silent and failing boards, full flash: one clear message each,
a non-zero exit, and nothing half-written on the board."""

import os
import pty
import socket
import subprocess
import threading

import pytest
import trustme

from serial_support import VirtualBoard, cli, make_agent_tree


def _fails(done, start):
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("devflow: " + start), done.stderr
    return lines[0]


def test_a_port_that_does_not_exist():
    for command in ("status", "monitor", "deploy"):
        _fails(cli(command, "--port", "/dev/ttyDEVFLOW-NOPE"), "no such port: /dev/ttyDEVFLOW-NOPE")


def test_a_socket_nobody_listens_on():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"socket://127.0.0.1:{port}"
    _fails(cli("status", "--port", url), f"cannot open {url}")
    _fails(cli("monitor", "--port", url), f"cannot open {url}: connection refused")


def test_no_port_named_and_none_found(monkeypatch):
    env_free = {k: v for k, v in os.environ.items() if k != "DEVFLOW_PORT"}
    from host_tools.serial import ports
    from host_tools.serial.errors import ToolError

    monkeypatch.setattr(ports.serial.tools.list_ports, "comports", lambda: [])
    with pytest.raises(ToolError, match="no board found on USB: plug one in, or name the port with --port or DEVFLOW_PORT"):
        ports.resolve_port(None, env_free)


def test_a_board_that_does_not_answer():
    master, slave = pty.openpty()  # a port with nothing behind it
    try:
        done = cli("status", "--port", os.ttyname(slave), "--timeout", "2")
    finally:
        os.close(slave)
        os.close(master)
    _fails(done, "the board on /dev/")
    assert "did not answer within 2 s" in done.stderr


class _TracebackBoard:
    """A board whose raw REPL works but whose every command raises: enough
    of the raw REPL protocol for mpremote (no raw-paste, soft reboot)."""

    def __init__(self):
        self.master, slave = pty.openpty()
        self.port = os.ttyname(slave)
        self._slave = slave
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        line = b""
        while not self._stop:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            for byte in data:
                b = bytes([byte])
                if b == b"\x01":
                    line = b""
                    os.write(self.master, b"raw REPL; CTRL-B to exit\r\n>")
                elif b == b"\x05":
                    line = b"\x05"
                elif line == b"\x05A" and b == b"\x01":
                    line = b""
                    os.write(self.master, b"R\x00")  # raw-paste not supported
                elif b == b"\x04":
                    if line.strip():
                        os.write(self.master, b"OK\x04Traceback (most recent call last):\r\n"
                                              b'  File "<stdin>", line 1, in <module>\r\n'
                                              b"OSError: [Errno 5] EIO\r\n\x04>")
                    else:
                        os.write(self.master, b"OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>")
                    line = b""
                elif b not in (b"\x03", b"\x02"):
                    line += b

    def close(self):
        self._stop = True
        os.close(self._slave)
        os.close(self.master)


def test_a_board_that_answers_with_a_traceback():
    fake = _TracebackBoard()
    try:
        done = cli("status", "--port", fake.port, "--timeout", "10")
    finally:
        fake.close()
    _fails(done, "the board raised OSError: [Errno 5] EIO")


@pytest.fixture
def tiny_flash(tmp_path):
    """A flash folder on a 256 KB tmpfs, nearly full."""
    flash = tmp_path / "flash"
    flash.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(flash)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): " + mounted.stderr.decode().strip())
    try:
        (flash / "filler.bin").write_bytes(b"\0" * (256 - 12) * 1024)
        yield flash
    finally:
        subprocess.run(["umount", "-l", str(flash)], check=False)


def _board_on(flash):
    board = VirtualBoard(str(flash)).start()
    board.wait_for(b">>> ", timeout=15)
    return board


def test_deploy_to_a_full_board_is_refused_before_writing(tiny_flash, tmp_path):
    agent, boards = make_agent_tree(tmp_path)
    board = _board_on(tiny_flash)
    try:
        before = sorted(os.listdir(tiny_flash))
        done = cli("deploy", "--port", board.pty_path, "--agent-dir", agent, "--boards-dir", boards, "--board", "virtual")
    finally:
        board.stop()
    line = _fails(done, "not enough flash on the board: the changed files need")
    assert "KB are free" in line
    assert sorted(os.listdir(tiny_flash)) == before


def test_a_write_that_fills_the_flash_leaves_the_old_config(tiny_flash, tmp_path):
    (tiny_flash / "devflow.json").write_text('{"old": true}')
    bundle = tmp_path / "ca.pem"
    bundle.write_text("".join(trustme.CA().cert_pem.bytes().decode() for _ in range(24)))  # ~20 KB
    board = _board_on(tiny_flash)
    try:
        done = cli("provision", "--port", board.pty_path, "--wifi-ssid", "home", "--client-id", "tv",
                   "--device-authorization-endpoint", "http://127.0.0.1:9/device",
                   "--token-endpoint", "http://127.0.0.1:9/token", "--ca-file", bundle)
    finally:
        board.stop()
    line = _fails(done, "")
    assert "flash is full" in line
    assert (tiny_flash / "devflow.json").read_text() == '{"old": true}'
    assert not (tiny_flash / "devflow.json.new").exists()
