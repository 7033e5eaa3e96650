"""monitor: the board's log, pretty and coloured, with the pairing QR.

Lines in the agent's format (`devflow: <event> key=value ...`, written by
agent/devflow/core/logline.py, parsed by host_tools/logparse.py) are shown
as events; a pairing_code line also draws a QR of verification_uri_complete (else verification_uri) in the
terminal, next to the user code as text, so a headless board can be paired.
Any other line is printed as it came.
"""

import sys
import time

from .errors import ToolError
from .ports import has_reset_lines, open_stream, pulse_reset_lines
from .terminal_qr import render

_COLORS = {"error": "31", "paired": "32", "state": "36", "pairing_code": "1;33"}


def load_parser():
    """The host's parse_line for the agent's log lines (host_tools/logparse.py;
    tests/serial/test_units.py checks it against the agent's format_line)."""
    from host_tools.logparse import parse_line
    return parse_line


class Printer:
    def __init__(self, parse_line, color, out=None):
        self.parse_line, self.color = parse_line, color
        self.out = out or sys.stdout

    def line(self, text):
        parsed = self.parse_line(text)
        if parsed is None:
            self._write(text)
            return None
        event, fields = parsed
        shown = " ".join(f"{k}={v}" for k, v in sorted(fields.items()))
        self._write(self._paint(event, f"[{event}] {shown}".rstrip()))
        if event == "pairing_code":
            self._pairing(fields)
        return event

    def _pairing(self, fields):
        target = fields.get("verification_uri_complete") or fields.get("verification_uri")
        if target:
            self._write("")
            self._write(render(target, color=self.color))
            self._write("")
        code, uri = fields.get("user_code", "?"), fields.get("verification_uri", "?")
        self._write(self._paint("pairing_code", f"Scan the code, or open {uri} and enter: {code}"))

    def _paint(self, event, text):
        if not self.color or event not in _COLORS:
            return text
        return f"\x1b[{_COLORS[event]}m{text}\x1b[0m"

    def _write(self, text):
        self.out.write(text + "\n")
        self.out.flush()


def monitor(port, printer, reset=False, until=None, timeout=None):
    """Stream lines until Ctrl-C, the `until` event, or `timeout` seconds.
    Returns the number of lines shown."""
    stream = open_stream(port)
    deadline = None if timeout is None else time.monotonic() + timeout
    shown, buffer = 0, b""
    try:
        if reset:
            _reset(port, stream)
        while deadline is None or time.monotonic() < deadline:
            chunk = stream.read(stream.in_waiting or 1)
            if not chunk:
                continue
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                shown += 1
                event = printer.line(raw.decode("utf-8", "replace").rstrip("\r"))
                if until and event == until:
                    return shown
    except KeyboardInterrupt:
        return shown
    except OSError as e:
        raise ToolError(f"lost {port}: {e}") from None
    finally:
        stream.close()
    if until:
        raise ToolError(f"no {until} line from the board within {timeout:g} s")
    return shown


def _reset(port, stream):
    """Reset so the whole boot is seen: by the EN/GPIO0 lines on ESP32 dev
    kits, else in-band with machine.reset() from the raw REPL."""
    stream.reset_input_buffer()
    if has_reset_lines(port):
        pulse_reset_lines(stream)
        return
    stream.write(b"\r\x03\x03\r\x01")
    seen, deadline = b"", time.monotonic() + 5
    while b"raw REPL; CTRL-B to exit\r\n>" not in seen:
        if time.monotonic() > deadline:
            raise ToolError(f"the board on {port} does not answer, so it cannot be reset in-band")
        seen += stream.read(stream.in_waiting or 1)
    stream.write(b"import machine\nmachine.reset()\x04")
