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


def import_agent():
    install_board_modules()
    for sub in ("agent", "boards"):
        path = str(ROOT / sub)
        if path not in sys.path:
            sys.path.insert(0, path)


class Emulator:
    def __init__(self, board_name, config_path, flash_dir, screenshot=None,
                 out=print, show_terminal=False, clock=None, faults=None):
        if board_name not in BOARDS:
            raise ValueError("unknown board %r (known: %s)" % (board_name, ", ".join(sorted(BOARDS))))
        import_agent()
        self.spec = BOARDS[board_name]
        self.config_path = str(config_path)
        self.flash_dir = Path(flash_dir)
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        self.screenshot = screenshot
        self.out = out
        self.show_terminal = show_terminal
        self.lines = []                 # every log line the board printed
        self.banner = []                # lines kept under the panel in the terminal
        self.changed = threading.Condition()
        self.app = None
        self.image = None               # the panel as a PIL image at 1:1
        self._presses = queue.Queue()
        self._release_at = None
        self._pressed_pin = None
        self._stop = threading.Event()
        # issue 5: the board's clock (vclock.RealClock, or a VirtualClock so
        # long scenarios run in milliseconds) and fault hooks (faults.py).
        from host_tools.emulator import vclock
        self.clock = clock if clock is not None else vclock.RealClock()
        self.faults = faults

    # -- what tests and the CLI use --------------------------------------

    def press(self, long=False, pin=None):
        # pin: another of the board's buttons (spec.buttons); default the app's.
        pin = self.spec.button_pin if pin is None else pin
        self._presses.put((LONG_PRESS_MS if long else SHORT_PRESS_MS, pin))
        self.clock.poke()

    def stop(self):
        self._stop.set()
        self.clock.poke()

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
        if image is None:
            return      # headless: the serial lines are all there is
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
            sys.stdout.write("".join(line + "\n" for line in self.banner))
            sys.stdout.write("\n".join(self.lines[-8:]) + "\n")
            sys.stdout.flush()

    # -- the run ---------------------------------------------------------------

    def _boot(self):
        import importlib
        from app import http_client, make_app, show_config_error
        from host_tools.emulator import machine
        machine.reset_emulator()
        self._clock = _EmulatorClock(self)
        self._prepare_world(machine)
        self._chip = self.spec.power_on()
        module = importlib.import_module(self.spec.module)
        self._board = module.make_board()
        self._join_wifi()

        fs = self.faults.flash() if self.faults else None
        app, problem = make_app(self._board, lambda config: http_client(config, host_ca_bundle()), self._clock, self.config_path,
                                str(self.flash_dir / "devflow_tokens.bin"), fs=fs, out=self._print)
        if app is None:
            show_config_error(self._board, problem, self._clock)
            self._refresh_panel()
        return app, problem

    def _prepare_world(self, machine):
        # issue 5: one clock for ticks, WDT, RTC; the radio; the faults.
        from host_tools.emulator import network, vclock
        vclock.use(self.clock)
        machine.set_clock(self.clock.ms)
        network.reset()
        network.bind_agent_sockets()
        if self.faults:
            self.faults.at_boot(self)

    def _join_wifi(self):
        # What main.py does before the app: join Wi-Fi if the config says so.
        from app import read_config
        from devflow.adapters.wifi import connect_from_config
        from devflow.core.errors import ConfigError
        from host_tools.emulator import network
        network.offer_configured_ap(self.config_path, self.faults)
        try:
            settings = read_config(self.config_path)
        except ConfigError:
            settings = None   # _boot reports it
        connect_from_config(self._board, settings, self._clock, out=self._print)

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
            if self.faults:
                self.faults.poll(self)
            wait = app.step()
            self._refresh_panel()
            if app.flow.state in wanted:
                return EXIT_OK
            budget = 200 if wait is None else min(wait, 200)
            self._clock.wait(budget, app.button.pressed)
        return EXIT_OK


def host_ca_bundle():
    """The PC's trusted roots, for a config without `ca_certs`.

    A board trusts only the bundle in its config; the emulator on a PC may
    use the host's store so it can talk to a public identity provider as
    it is. None when the host has no bundle file."""
    import ssl
    paths = ssl.get_default_verify_paths()
    for path in (paths.cafile, paths.openssl_cafile, "/etc/ssl/certs/ca-certificates.crt"):
        if path and os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read()
    return None


class _EmulatorClock:
    """The agent's clock, plus the emulated button: presses from the
    keyboard or a test hold the pin low for a while, then release it.
    Time is the Emulator's clock (real, or virtual: issue 5)."""

    def __init__(self, emulator):
        self._emu = emulator
        self._tty = sys.stdin.isatty() and emulator.show_terminal

    def now(self):
        return self._emu.clock.ticks_ms()

    def wall_s(self):
        from devflow.adapters.clock import BUILD_EPOCH_S
        now = int(self._emu.clock.wall_s())
        return now if now >= BUILD_EPOCH_S else None

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

    def _button_edge(self, now):
        # Starts or ends a press; True if a pin changed (the app looks now).
        from host_tools.emulator import machine
        emu = self._emu
        if emu._release_at is None and not emu._presses.empty():
            ms, pin = emu._presses.get()
            emu._release_at, emu._pressed_pin = now + ms, pin
            machine.drive_pin(pin, 0)
            return True
        if emu._release_at is not None and now >= emu._release_at:
            emu._release_at = None
            emu.spec.release_button(emu._pressed_pin)
            return True
        return False

    def wait(self, ms, interrupted):
        emu, clock = self._emu, self._emu.clock
        end = clock.ms() + ms

        def wake():
            self._keys()
            due = emu._release_at is not None and clock.ms() >= emu._release_at
            return emu._stop.is_set() or due or (emu._release_at is None and not emu._presses.empty())

        while True:
            if self._button_edge(clock.ms()) or clock.ms() >= end or emu._stop.is_set():
                return
            target = end if emu._release_at is None else min(end, emu._release_at)
            clock.wait_until(target, wake)
