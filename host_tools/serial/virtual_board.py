"""A virtual board: the real MicroPython unix port behind a serial port.

    board = VirtualBoard(flash_dir).start()
    board.pty_path      # /dev/pts/N: `mpremote connect /dev/pts/N ...`
    board.socket_url    # socket://127.0.0.1:PORT: `mpremote connect port:socket://...`
    board.wait_for(b"devflow: pairing_code", timeout=10)
    board.reset()       # like pressing the reset button
    board.stop()

`flash_dir` stands for the board's flash: it is `/` for the code on the
board. See supervisor.py for how the unix port is made to act as a board.
"""

import os
import signal
import time

from .errors import ToolError
from .supervisor import Supervisor


class VirtualBoard:
    def __init__(self, flash_dir, heapsize=None, extra_path=None, tcp_port=0):
        if not os.path.isdir(flash_dir):
            raise ToolError(f"flash folder {flash_dir} does not exist")
        self._supervisor = Supervisor(flash_dir, heapsize=heapsize, extra_path=extra_path, tcp_port=tcp_port)
        self.flash_dir = self._supervisor.flash_dir

    def start(self):
        self._supervisor.start()
        return self

    def stop(self):
        self._supervisor.stop()

    def reset(self):
        """Hard reset: a new interpreter in the friendly REPL; main.py runs."""
        self._supervisor.request("reset")

    @property
    def pty_path(self):
        return self._supervisor.pty_path

    @property
    def socket_url(self):
        return self._supervisor.socket_url

    @property
    def output(self):
        """Every byte the board has printed so far."""
        with self._supervisor.changed:
            return bytes(self._supervisor.output)

    @property
    def boots(self):
        return self._supervisor.boots

    def wait_for(self, needle, timeout=10.0, start=0):
        """Wait until `needle` appears in the output after offset `start`;
        returns the offset just past it. Raises TimeoutError with the tail."""
        deadline = time.monotonic() + timeout
        cond = self._supervisor.changed
        with cond:
            while True:
                at = self._supervisor.output.find(needle, start)
                if at >= 0:
                    return at + len(needle)
                left = deadline - time.monotonic()
                if left <= 0:
                    tail = bytes(self._supervisor.output[-400:])
                    raise TimeoutError(f"{needle!r} not printed in {timeout} s; last output: {tail!r}")
                cond.wait(left)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def add_virtual_board_arguments(parser):
    parser.add_argument("--flash", default="vboard-flash", help="folder that stands for the board's flash (created if missing)")
    parser.add_argument("--heapsize", help="MicroPython heap size, e.g. 56k for an ESP32")
    parser.add_argument("--tcp-port", type=int, default=0, help="TCP port for socket:// (default: any free port)")
    parser.add_argument("--path", action="append", default=[], help="host folder to mount and add to sys.path (repeatable)")


def do_virtual_board(args):
    os.makedirs(args.flash, exist_ok=True)
    board = VirtualBoard(args.flash, heapsize=args.heapsize, extra_path=args.path, tcp_port=args.tcp_port).start()
    print(f"virtual board: flash {board.flash_dir}")
    print(f"pty: {board.pty_path}")
    print(f"socket: {board.socket_url}")
    print("Ctrl-C stops it.", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        board.stop()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
