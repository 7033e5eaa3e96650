"""Finding the board's port, and opening it for the log stream.

A port is whatever pyserial's serial_for_url takes: /dev/ttyUSB0, a pty,
socket://host:port, rfc2217://host:port. `--port` wins, then the
DEVFLOW_PORT environment variable, then the one USB serial port whose
VID:PID belongs to a known board or USB-serial bridge.
"""

import os

import serial
import serial.tools.list_ports

from .errors import ToolError

ENV_PORT = "DEVFLOW_PORT"

# (vid, pid) -> what it usually is. ESP32 boards sit behind a USB-UART
# bridge (CP210x, CH34x, FTDI) or the chip's own USB-Serial/JTAG.
KNOWN_USB_IDS = {
    (0x10C4, 0xEA60): "CP210x (ESP32)",
    (0x1A86, 0x7523): "CH340 (ESP32)",
    (0x1A86, 0x55D4): "CH9102 (ESP32)",
    (0x0403, 0x6001): "FTDI FT232 (ESP32)",
    (0x0403, 0x6010): "FTDI FT2232 (ESP32)",
    (0x303A, 0x1001): "ESP32 USB-Serial/JTAG",
    (0x303A, 0x4001): "ESP32-S2/S3 native USB (MicroPython)",
    (0x2E8A, 0x0005): "Raspberry Pi Pico W (MicroPython)",
    (0xF055, 0x9802): "MicroPython board",
}
# Boards whose reset is wired to RTS (EN) and DTR (GPIO0): the ESP32 dev kits.
_LINE_RESET_VIDS = {0x10C4, 0x1A86, 0x0403, 0x303A}


def is_url(port):
    return "://" in port


def known_boards():
    """The attached USB serial ports that look like boards: [(device, label)]."""
    found = []
    for info in sorted(serial.tools.list_ports.comports()):
        label = KNOWN_USB_IDS.get((info.vid, info.pid))
        if label is not None:
            found.append((info.device, label))
    return found


def resolve_port(explicit=None, environ=os.environ):
    """The port to use, or a ToolError that says how to name one."""
    port = explicit or environ.get(ENV_PORT)
    if port:
        check_port(port)
        return port
    boards = known_boards()
    if not boards:
        raise ToolError(f"no board found on USB: plug one in, or name the port with --port or {ENV_PORT}")
    if len(boards) > 1:
        names = ", ".join(f"{dev} ({label})" for dev, label in boards)
        raise ToolError(f"several boards found ({names}): choose one with --port or {ENV_PORT}")
    return boards[0][0]


def check_port(port):
    if not is_url(port) and not os.path.exists(port):
        raise ToolError(f"no such port: {port} (see `python -m serial.tools.list_ports`)")


def usb_id(port):
    for info in serial.tools.list_ports.comports():
        if info.device == port and info.vid is not None:
            return info.vid, info.pid
    return None


def has_reset_lines(port):
    """True for ESP32 dev kits, whose RTS/DTR drive EN and GPIO0."""
    if port.startswith("rfc2217://"):
        return True
    ident = usb_id(port)
    return ident is not None and ident[0] in _LINE_RESET_VIDS


def open_stream(port, baudrate=115200, timeout=0.2):
    """Open the port for reading the board's log without resetting it."""
    check_port(port)
    try:
        stream = serial.serial_for_url(port, baudrate=baudrate, timeout=timeout, do_not_open=True)
        # Opening asserts DTR and RTS by default, which holds an ESP32 in
        # reset or in its bootloader: keep both released.
        stream.dtr = False
        stream.rts = False
        stream.open()
        return stream
    except (serial.SerialException, OSError, ValueError) as e:
        raise ToolError(f"cannot open {port}: {_reason(e)}") from None


def pulse_reset_lines(stream, hold=0.1):
    """ESP32 hard reset: EN low through RTS while GPIO0 stays high (DTR off)."""
    import time

    stream.dtr = False
    stream.rts = True
    time.sleep(hold)
    stream.rts = False


def _reason(error):
    text = str(error)
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused (is the virtual board running?)"
    if "No such file" in text or "[Errno 2]" in text:
        return "no such port"
    if "Permission denied" in text or "[Errno 13]" in text:
        return "permission denied (add yourself to the dialout group)"
    return text
