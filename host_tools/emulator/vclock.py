"""Clocks for the emulated board: real time, or virtual time that runs a
ten-minute pairing in milliseconds.

One clock is current (use() sets it); the emulated `time` module's ticks_*
and sleep_ms, machine's WDT and RTC (via machine.set_clock) and the runner
all read it, so every part of the board agrees on what time it is.

    clock = VirtualClock()                 # free-running: waits return at once
    clock = VirtualClock(manual=True)      # idle waits block until advance()
    clock = VirtualClock(speed=10)         # ten times faster than real time
    clock = VirtualClock(start_ticks=PERIOD - 3000)   # wrap in 3 s

A board's own delays (time.sleep_ms in a driver) always just pass time;
only the app loop's idle wait (wait_until) blocks in manual mode, so a test
decides when the next second begins.
"""

import threading
import time as _time

PERIOD = 1 << 30   # MicroPython's ticks period on every port


class _Clock:
    start_ticks = 0
    wall_jump_s = 0.0     # a wall-clock step (NTP, a user setting the RTC)

    def jump_wall(self, seconds):
        self.wall_jump_s += seconds

    def poke(self):
        pass

    def ticks_ms(self):
        return (int(self.ms()) + self.start_ticks) & (PERIOD - 1)

    def ticks_us(self):
        return (int(self.ms() * 1000) + self.start_ticks * 1000) & (PERIOD - 1)


class RealClock(_Clock):
    virtual = False

    def __init__(self, start_ticks=None):
        self._base = _time.monotonic()
        self.start_ticks = int(_time.monotonic() * 1000) if start_ticks is None else start_ticks

    def ms(self):
        return (_time.monotonic() - self._base) * 1000.0

    def sleep_ms(self, ms):
        _time.sleep(max(0, ms) / 1000)

    def wall_s(self):
        return _time.time() + self.wall_jump_s

    def wait_until(self, target_ms, wake):
        while self.ms() < target_ms and not wake():
            _time.sleep(min(0.02, max(0, target_ms - self.ms()) / 1000))


class VirtualClock(_Clock):
    virtual = True

    def __init__(self, manual=False, speed=None, start_ticks=0, wall_start=None):
        self.manual, self.speed, self.start_ticks = manual, speed, start_ticks
        self.wall_start = _time.time() if wall_start is None else wall_start
        self._ms = 0.0
        self._cond = threading.Condition()

    def ms(self):
        return self._ms

    def wall_s(self):
        return self.wall_start + self._ms / 1000.0 + self.wall_jump_s

    def advance(self, ms):
        """Let `ms` of virtual time pass (tests; faults like a clock jump)."""
        with self._cond:
            self._ms += ms
            self._cond.notify_all()

    def poke(self):
        # Re-check sleepers' wake conditions (a button, a stop request).
        with self._cond:
            self._cond.notify_all()

    def sleep_ms(self, ms):
        if self.speed:
            _time.sleep(max(0, ms) / 1000 / self.speed)
        self.advance(max(0, ms))

    def wait_until(self, target_ms, wake):
        """The idle wait of the app loop: returns at target_ms or when
        wake() is true. Free-running clocks jump; paced ones sleep a
        fraction; manual ones block until a test advances time."""
        while self._ms < target_ms and not wake():
            if self.manual:
                with self._cond:
                    self._cond.wait_for(
                        lambda: self._ms >= target_ms or wake() or not self.manual)
                continue
            step = min(20.0, target_ms - self._ms)
            if self.speed:
                _time.sleep(step / 1000 / self.speed)
            self.advance(step)

    def run_free(self):
        """Leave manual mode: from now on waits pass at once."""
        self.manual = False
        self.poke()


_current = [RealClock()]


def use(clock):
    _current[0] = clock if clock is not None else RealClock()
    return _current[0]


def current():
    return _current[0]
