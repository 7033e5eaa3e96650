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
    def __init__(self, flash_dir, heapsize=None, extra_path=None, tcp_port=0, peripherals=None, romfs=None,
                 romfs_pad=0):
        # romfs: a ROMFS image (host file) mounted at /rom at boot; off by default.
        if not os.path.isdir(flash_dir):
            raise ToolError(f"flash folder {flash_dir} does not exist")
        self._supervisor = Supervisor(flash_dir, heapsize=heapsize, extra_path=extra_path, tcp_port=tcp_port,
                                      peripherals=peripherals, romfs=romfs, romfs_pad=romfs_pad)
        self.flash_dir = self._supervisor.flash_dir
        self.peripherals = self._supervisor.peripherals

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

    def wait_for_any(self, needles, timeout=10.0, start=0):
        """Wait until one of `needles` appears after offset `start`; returns
        (index of the needle seen first in the output, offset just past it).
        Raises TimeoutError with the tail."""
        deadline = time.monotonic() + timeout
        cond = self._supervisor.changed
        with cond:
            while True:
                out = self._supervisor.output
                hits = [(out.find(n, start), i) for i, n in enumerate(needles)]
                hits = [(at, i) for at, i in hits if at >= 0]
                if hits:
                    at, i = min(hits)
                    return i, at + len(needles[i])
                left = deadline - time.monotonic()
                if left <= 0:
                    tail = bytes(out[-400:])
                    raise TimeoutError(f"none of {needles!r} printed in {timeout} s; last output: {tail!r}")
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
    parser.add_argument("--agent", action="store_true", help="deploy the agent and a board file to the flash folder and boot it")
    parser.add_argument("--board", default="headless", help="with --agent: headless, esp32-ssd1306 or pico-w-ssd1306 (default %(default)s)")
    parser.add_argument("--config", help="with --agent: devflow.json to copy to the board (default: keep the one in the flash)")
    parser.add_argument("--screenshot", help="with --agent: PNG of the panel, rewritten when it changes (default FLASH-screen.png)")


def do_virtual_board(args):
    # SIGTERM stops it like Ctrl-C, from the first line on: a stop that
    # lands while the board starts still ends cleanly (exit 0).
    signal.signal(signal.SIGTERM, _interrupt)
    os.makedirs(args.flash, exist_ok=True)
    board = panel = None
    try:
        if args.agent:
            from .agent_board import AgentBoard
            periph = args.flash.rstrip("/") + "-periph"
            agent = AgentBoard(args.flash, periph, board=args.board, config=args.config,
                               heapsize=args.heapsize, tcp_port=args.tcp_port)
            board, panel = agent.board, agent.panel
            board.start()
        else:
            board = VirtualBoard(args.flash, heapsize=args.heapsize, extra_path=args.path,
                                 tcp_port=args.tcp_port)
            board.start()
        _serve(args, board, panel)
    except KeyboardInterrupt:
        pass
    finally:
        if board is not None:
            board.stop()
    return 0


def _serve(args, board, panel):
    shot = args.screenshot or args.flash.rstrip("/") + "-screen.png"
    print(f"virtual board: flash {board.flash_dir}")
    print(f"pty: {board.pty_path}")
    print(f"socket: {board.socket_url}")
    if panel is not None and args.board != "headless":
        print(f"screen: {os.path.abspath(shot)}")
    print("Ctrl-C stops it.", flush=True)
    while True:
        # The agent's log goes to the serial port (monitor shows it);
        # here only the panel is turned into a PNG when it changes.
        if panel is not None and args.board != "headless" and panel.update():
            panel.save_png(shot)
        time.sleep(0.2 if panel is not None else 3600)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
