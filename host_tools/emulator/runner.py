"""Run the agent, unchanged, as one of the emulated boards.

The board file from boards/ boots over emulated buses, the agent's own app
loop runs with the agent's own HTTP client on the host's network, and the
token file lives in a folder standing in for flash. The panel is read back
from the emulated controller after every step: drawn in the terminal and
saved as PNG when it changes. The board's button is a key press (space or
Enter; `l` holds it for a long press; `q` quits), or press() from a test.
"""

import os
import queue
import sys
import threading
import time
from pathlib import Path

from host_tools.emulator.boards import BOARDS, panel_image
from host_tools.emulator.install import install_board_modules
from host_tools.emulator.screen import to_text

ROOT = Path(__file__).resolve().parents[2]

EXIT_OK, EXIT_CONFIG, EXIT_TIMEOUT, EXIT_ENDED = 0, 2, 3, 4

# --until NAME: the flow state that ends a run with success.
UNTIL_STATES = {"paired": ("paired",), "code": ("polling",), "denied": ("denied",),
                "expired": ("expired",), "error": ("failed", "config_error")}
_WAITING = ("denied", "expired", "failed", "config_error", "needs_auth")
SHORT_PRESS_MS, LONG_PRESS_MS = 120, 3300


def _import_agent():
    install_board_modules()
    for sub in ("agent", "boards"):
        path = str(ROOT / sub)
        if path not in sys.path:
            sys.path.insert(0, path)


class Emulator:
    def __init__(self, board_name, config_path, flash_dir, screenshot=None,
                 out=print, show_terminal=False):
        if board_name not in BOARDS:
            raise ValueError("unknown board %r (known: %s)" % (board_name, ", ".join(sorted(BOARDS))))
        _import_agent()
        self.spec = BOARDS[board_name]
        self.config_path = str(config_path)
        self.flash_dir = Path(flash_dir)
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        self.screenshot = screenshot
        self.out = out
        self.show_terminal = show_terminal
        self.lines = []                 # every log line the board printed
        self.changed = threading.Condition()
        self.app = None
        self.image = None               # the panel as a PIL image at 1:1
        self._presses = queue.Queue()
        self._release_at = None
        self._stop = threading.Event()

    # -- what tests and the CLI use --------------------------------------

    def press(self, long=False):
        self._presses.put(LONG_PRESS_MS if long else SHORT_PRESS_MS)

    def stop(self):
        self._stop.set()

    def wait_for(self, predicate, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    @property
    def state(self):
        return self.app.flow.state if self.app else None

    # -- the board's serial console and panel ------------------------------

    def _print(self, line):
        with self.changed:
            self.lines.append(line)
            self.changed.notify_all()
        self.out(line)

    def _refresh_panel(self):
        image = self.spec.read_panel(self._chip, self._board)
        if self.image is not None and image.tobytes() == self.image.tobytes():
            return
        with self.changed:
            self.image = image
            self.changed.notify_all()
        if self.screenshot:
            scaled = image.resize((image.width * self.spec.png_scale,
                                   image.height * self.spec.png_scale))
            tmp = str(self.screenshot) + ".tmp.png"
            scaled.save(tmp)
            os.replace(tmp, self.screenshot)
        if self.show_terminal and self.spec.terminal:
            sys.stdout.write("\x1b[H\x1b[2J" + to_text(panel_image(self._chip, self._board)) + "\n")
            sys.stdout.write("\n".join(self.lines[-8:]) + "\n")
            sys.stdout.flush()

    # -- the run ---------------------------------------------------------------

    def _boot(self):
        import importlib
        from app import make_app, show_config_error
        from devflow.adapters.clock import Clock
        from devflow.adapters.http import HttpClient
        from host_tools.emulator import machine
        machine.reset_emulator()
        self._chip = self.spec.attach()
        module = importlib.import_module(self.spec.module)
        self._board = module.make_board()
        self._clock = _EmulatorClock(self)

        def http_factory(config):
            ca = config.ca_certs.encode() if config.ca_certs else None
            return HttpClient(ca_data=ca)

        app, problem = make_app(self._board, http_factory, self._clock, self.config_path,
                                str(self.flash_dir / "devflow_tokens.bin"), out=self._print)
        if app is None:
            show_config_error(self._board, problem, self._clock)
            self._refresh_panel()
        return app, problem

    def run(self, until=None, timeout=None):
        app, problem = self._boot()
        if app is None:
            return EXIT_CONFIG
        self.app = app
        wanted = UNTIL_STATES.get(until, ()) if until else ()
        deadline = None if timeout is None else time.monotonic() + timeout
        app.start()
        self._refresh_panel()
        while not self._stop.is_set():
            if app.flow.state in wanted:
                return EXIT_OK
            if until and app.flow.state in _WAITING and not self._presses.qsize():
                self._print("emulator: ended in state %s, not %s" % (app.flow.state, until))
                return EXIT_ENDED
            if deadline is not None and time.monotonic() >= deadline:
                self._print("emulator: timed out in state %s" % app.flow.state)
                return EXIT_TIMEOUT
            wait = app.step()
            self._refresh_panel()
            if app.flow.state in wanted:
                return EXIT_OK
            budget = 200 if wait is None else min(wait, 200)
            self._clock.wait(budget, app.button.pressed)
        return EXIT_OK


class _EmulatorClock:
    """The agent's clock, plus the emulated button: presses from the
    keyboard or a test hold the pin low for a while, then release it."""

    def __init__(self, emulator):
        from devflow.adapters.clock import Clock
        self._real = Clock()
        self._emu = emulator
        self._tty = sys.stdin.isatty() and emulator.show_terminal

    def now(self):
        return self._real.now()

    def wall_s(self):
        return self._real.wall_s()

    def _keys(self):
        if not self._tty:
            return
        import select
        while select.select([sys.stdin], [], [], 0)[0]:
            ch = sys.stdin.read(1)
            if ch in (" ", "\n", "\r"):
                self._emu.press()
            elif ch == "l":
                self._emu.press(long=True)
            elif ch == "q":
                self._emu.stop()

    def wait(self, ms, interrupted):
        from host_tools.emulator import machine
        end = time.monotonic() + ms / 1000
        emu = self._emu
        while True:
            self._keys()
            now = time.monotonic()
            if emu._release_at is None and not emu._presses.empty():
                emu._release_at = now + emu._presses.get() / 1000
                machine.drive_pin(emu.spec.button_pin, 0)
                return
            if emu._release_at is not None and now >= emu._release_at:
                emu._release_at = None
                machine.release_pin(emu.spec.button_pin)
                return
            if now >= end or emu._stop.is_set():
                return
            time.sleep(min(0.02, end - now))
