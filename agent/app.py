# The one loop: feeds the core with time, answers and button presses, and
# carries out what it asks (requests, token writes, logs, screens).
#
# This is the only place that knows both the core and the adapters. Errors
# from the adapters are turned into events for the core here, so nothing
# escapes the loop: the core decides what to show and when to retry.

import gc
import json

from micropython import const

from devflow.adapters import button, http
from devflow.core import config, errors, flow, logline, screens, ticks

_CONFIG_FILE = const("devflow.json")
_TOKEN_FILE = const("devflow_tokens.bin")
_MAX_CONFIG = const(16384)
_IDLE_CHECK_MS = const(60000)
# A hole kept for the HTTP client's TLS context (3 KB in one piece, the
# largest object the agent keeps; http.py builds it at boot): main()
# takes it once the board is made, while the heap is still whole, and
# make_app lets it go just before the client is made, which puts the
# context in its place (first fit). Made at its first request, the
# context would need a run of 3 KB in a heap fragmented by then.
_hole = None


def http_client(settings, default_ca=None):
    # The transport for these settings (a config.Config). The CA text moves
    # from the settings to the client, which drops it once its TLS context
    # exists: no second copy stays in the heap. default_ca: the emulator's
    # host store, when the config names none (a board has no such store).
    ca = settings.ca_certs.encode() if settings.ca_certs else default_ca
    settings.ca_certs = None
    return http.HttpClient(ca_data=ca)


def forget(*names):
    # Drops modules a phase is done with: Wi-Fi and NTP once the board is
    # online, the config checks and the token file reader once both are
    # read, the QR encoder once a code is drawn, the pairing steps once
    # paired, the request builder once a request is built. A .mpy imported
    # from the filesystem lives in the heap (bytecode, constants, function
    # objects), and a module nobody references any more is collected like
    # any object; only its names (qstrs) stay. Callers hold none of its
    # functions, and a module needed again later (a new pairing, the next
    # request) is simply imported again. True when it dropped one (and so
    # collected). MicroPython only: CPython keeps its modules, where a
    # second copy of a module would also bring second copies of its classes.
    # A name is a module's own ("wifi"), looked up in sys.modules under
    # its package, or a dotted one: each dotted name written here would be
    # a string object made when this module loads and kept for good.
    import sys
    if sys.implementation.name != "micropython":
        return False
    dropped = False
    for leaf in names:
        for name in sys.modules:
            if name == leaf or name.endswith(leaf) and name[-len(leaf) - 1] == ".":
                break
        else:
            continue
        del sys.modules[name]
        dropped = True
        cut = name.rfind(".")
        package = sys.modules.get(name[:cut]) if cut > 0 else None
        if package is not None:
            try:
                delattr(package, name[cut + 1:])
            except AttributeError:
                pass
    if dropped:
        gc.collect()
    return dropped


def random_fraction():
    # Jitter source: os.urandom exists on both runtimes and every board.
    # One byte: steps of 1/256 are fine enough for a wait's jitter.
    import os
    return os.urandom(1)[0] / 256


def read_config(path):
    # Returns the decoded JSON, or raises errors.ConfigError naming the problem.
    # The size is checked first and the JSON parsed from the stream: a
    # read(n) would ask the heap for n contiguous bytes up front, the
    # largest single allocation of the whole boot.
    import os
    why = "is missing"
    try:
        if os.stat(path)[6] > _MAX_CONFIG:
            why = "is too large"
        else:
            why = "is not valid JSON"
            with open(path) as f:
                return json.load(f)
    except (OSError, ValueError):
        pass
    raise errors.ConfigError("config file '%s' %s" % (path, why))


class App:
    def __init__(self, board, settings, http, store, clock, rand=random_fraction, out=print):
        # store: where the tokens live, a (path, fs) pair (storage.py; fs
        # None: the board's own file system).
        self.board = board
        self.http = http
        self.store = store
        self.clock = clock
        self.out = out
        self.display = make_display(board)
        # The button module is the button (see there): .pressed and .poll.
        button.use(getattr(board, "button", None), getattr(board, "button_active", 0))
        self.button = button
        # Reading the token file is a boot-time job: token_file.py (and the
        # storage.py it imports) leave the heap again right after.
        from devflow.adapters import token_file
        # _written: the file's signature, so an equal set is not written again.
        tokens, problem, self._written = token_file.load(store)
        forget("token_file", "storage")
        self.flow = flow.DeviceFlow(settings, rand, tokens)
        if problem:
            self.log("storage", {"problem": problem})
        self._shown = None
        self._drawn_at = None
        self._idle = False
        self._unsaved = None        # tokens a failed flash write still owes
        self.storage_errors = 0

    def log(self, event, fields):
        line = logline.format_line(event, fields)
        # Defence in depth: the core never logs a secret, but a line that
        # somehow holds one is not printed at all.
        if self.flow.leaks(line):
            line = logline.format_line(event, {"redacted": "yes"})
        self.out(line)

    def start(self):
        self.flow.start(self.clock.now())
        self._after_event()

    def step(self):
        # One turn of the loop. Returns how long to wait (ms), or None to
        # wait for the button only. FAULTS 63: a MemoryError anywhere in
        # the turn (loading the session, a screen, a log line) is caught
        # here, at the task boundary, never a crash into the REPL: the heap
        # is collected and the turn's work comes again a second later (the
        # flow moves on only when a step completes).
        try:
            return self._turn()
        except MemoryError:
            self.http.close()
            gc.collect()
            return 1000

    def _turn(self):
        state = self.flow.state
        if state == "approved" or state == "paired":
            # The pairing steps are done with (a new pairing imports them
            # again), and so is the ID token's check once paired. Here, at
            # the start of a turn, not in the middle of one, where the
            # collection would come at the worst time; and before the
            # approved turn loads the session in their place.
            forget("authorization", "idtoken")
        now = self.clock.now()
        pressed = self.button.poll(now, ticks.ticks_diff)
        if pressed is not None:
            self.flow.handle_button(now, pressed == "long")
            self._after_event()
        request = self.flow.request_due(self.clock.now())
        if request is not None:
            self._perform(request)
        # Also when there was no request: the core can move on by itself
        # (the local deadline passed) and its effects are due all the same.
        self._after_event()
        return self._next_wait()

    def _perform(self, request):
        # A request's buffers, its answer and what the core keeps of it go
        # into a freshly collected heap: first fit then packs them low, in
        # the holes the last turns left, instead of between garbage that a
        # collection in the middle of the turn turns into new holes. The
        # core imported requests.py if it built the request (not for a
        # poll, which resends the one it built): it goes first, so that it
        # is not in the heap between requests.
        if not forget("requests"):
            gc.collect()
        try:
            response = self.http.perform(request)
            try:
                self.flow.handle_response(self.clock.now(), response, self.clock.wall_s())
            except MemoryError:
                # FAULTS 63: the answer is handled once more, after a
                # collection. It may be one that cannot be asked for again
                # (the token answer: the server has spent the device code),
                # the flow is as it was before it (see handle_response),
                # and the body stays valid until the next request.
                gc.collect()
                self.flow.handle_response(self.clock.now(), response, self.clock.wall_s())
        except (errors.NetworkError, errors.ConfigError) as e:
            self.flow.handle_failure(self.clock.now(), e)
        except MemoryError:
            # FAULTS 63: the request, or (twice) what the core made of its
            # answer, counted as a failure, so the flow retries on its own
            # schedule (a poll never comes early).
            self.http.close()
            gc.collect()
            self.flow.handle_failure(self.clock.now(), errors.NetworkError("memory"))

    def _after_event(self):
        if self._unsaved is not None:
            self._save(self._unsaved)   # FAULTS 59: a failed write is retried
        for effect in self.flow.effects():
            kind = effect[0]
            if kind == "log":
                self.log(effect[1], effect[2])
            elif kind == "save":
                self._save(effect[1])
            elif kind == "wipe":
                self._unsaved = None
                self._written = None
                from devflow.adapters import storage
                storage.wipe(self.store)
                forget("storage")   # see _save
        idle = self.flow.wake_at() is None
        if idle and not self._idle:
            # Now waiting for a button: no socket or buffer held meanwhile.
            self.http.close()
            gc.collect()
        self._idle = idle
        self._draw()

    def _save(self, tokens):
        # The tokens are owed until written: after a failed write (FAULTS
        # 59: the old file is intact) or a MemoryError on the way (FAULTS
        # 63, caught by step), the next turn tries again.
        self._unsaved = tokens
        # The answer that brought the tokens is garbage by now: collected
        # first, the save's pieces do not come on top of it (rare: once a
        # refresh).
        gc.collect()
        try:
            # storage.py is in the heap only while it writes (see there): it
            # leaves sys.modules at the end, and the heap at the next
            # collection.
            from devflow.adapters import storage
            written = storage.save(self.store, tokens, self._written)
            self._unsaved = None
            if written is not self._written:
                self._written = written
                self.log("tokens_saved", {})
        except OSError as e:
            self.storage_errors += 1
            self.log("storage", {"problem": "write failed", "errno": e.args[0] if e.args else 0})
        finally:
            forget("storage")

    def _draw(self, force=False):
        screen = self.flow.screen
        changed = screen != self._shown
        if changed:
            self._shown = screen
            self.log("screen", {"kind": screen[screens.KIND], "text": screens.text(screen)})
        if (changed or force) and self.display is not None:
            self._drawn_at = self.clock.now()
            try:
                self.display.draw(screen, self._drawn_at)
            except MemoryError:
                # FAULTS 63: the QR or a glyph did not fit the heap this
                # time; free what we can and draw again on the next tick.
                gc.collect()
                self._shown = None
                self.log("display", {"problem": "out of memory"})
            if changed:
                # A new screen may have loaded the QR encoder; the display
                # keeps only the finished code's rows, so the encoder can
                # leave the heap until the next code (the poll turns that
                # follow have it back).
                forget("qrfit", "qr")

    def _next_wait(self):
        now = self.clock.now()
        wake = self.flow.wake_at()
        wait = None if wake is None else max(0, ticks.ticks_diff(wake, now))
        if self.display is not None and self.flow.screen[screens.KIND] == screens.PAIRING:
            # The countdown (and a small panel's page flip) once a second.
            since = ticks.ticks_diff(now, self._drawn_at)
            if since >= 1000:
                self._draw(force=True)
                since = 0
            redraw = 1000 - since
            wait = redraw if wait is None else min(wait, redraw)
        return wait

    def run(self, stop=None):
        # The loop. stop(app) -> True ends it (the emulator's --until).
        # A board with a watchdog (board.wdt) is fed every turn, and turns
        # are then at most a second apart, so a hung call resets the board.
        wdt = getattr(self.board, "wdt", None)
        self.start()
        while stop is None or not stop(self):
            if wdt is not None:
                wdt.feed()
            wait = self.step()
            if stop is not None and stop(self):
                break
            wait = _IDLE_CHECK_MS if wait is None else wait
            if wdt is not None and wait > 1000:
                wait = 1000
            self.clock.wait(wait, self.button.pressed)


def make_app(board, http_factory, clock, config_path=_CONFIG_FILE, token_path=_TOKEN_FILE,
             fs=None, out=print):
    # Reads and checks the config; a bad one is shown, never a crash.
    try:
        settings = config.parse_config(read_config(config_path))
    except errors.ConfigError as e:
        out(logline.format_line("error", {"reason": "config", "message": str(e)}))
        return None, str(e)
    # The checks are needed at boot only (a re-discovery needs config.py).
    # The collection that drops them also frees the hole kept for the
    # client's TLS context (see the top), which is made next.
    global _hole
    _hole = None
    if not forget("configcheck"):
        gc.collect()
    return App(board, settings, http_factory(settings), (token_path, fs), clock, out=out), None


def make_display(board):
    # Imported only for boards with a panel: a headless board saves the RAM
    # of the display and QR code.
    panel = getattr(board, "display", None)
    if panel is None:
        return None
    from devflow.adapters import display
    palette = display.COLOUR if getattr(board, "colour", False) else display.MONO
    return display.Display(panel, panel.width, panel.height, palette)


def show_config_error(board, message, clock):
    display = make_display(board)
    if display is not None:
        display.draw(screens.make("config_error", message), clock.now())


def main():
    # What a board runs at boot: main.py, which stays source (never frozen)
    # so a board can be told to do something else at boot by editing one
    # small file, only calls this. The flash holds board.py (the wiring,
    # copied from boards/), devflow.json (the settings) and the agent.
    # Nothing here may crash the board into a boot loop: a bad config is
    # shown on the screen and the board waits for a fix.
    import board
    from devflow.adapters import clock
    hw = board.make_board()
    global _hole
    try:
        _hole = bytearray(4096)  # see the top
    except MemoryError:
        pass   # no such run left: the context goes where it can
    # Wi-Fi and NTP run once, at boot: imported here and dropped after.
    from devflow.adapters import wifi
    try:
        settings = read_config(_CONFIG_FILE)
    except errors.ConfigError:
        settings = None   # make_app reads it again and shows what is wrong
    wifi.connect_from_config(hw, settings, clock)
    del wifi, settings
    forget("wifi", "sntp")
    app, problem = make_app(hw, http_client, clock)
    if app is None:
        show_config_error(hw, problem, clock)
        return
    app.run()
