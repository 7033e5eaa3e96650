# The board's clocks: monotonic ticks for every interval and deadline, wall
# time only where a date is needed (ID token expiry), and only when it is
# plausible. One file for both runtimes.

from micropython import const

try:
    from time import sleep_ms, ticks_ms
except ImportError:  # CPython: the emulator's host
    import time as _time

    def ticks_ms():
        return int(_time.monotonic() * 1000)

    def sleep_ms(ms):
        _time.sleep(ms / 1000)

import time

# No wall clock before this build can be right (2026-11-01T00:00:00Z). An RTC
# that says 2000-01-01 after a power cut is "not set", not "25 years ago".
BUILD_EPOCH_S = 1793491200
# Ports whose epoch is 2000 (older bare-metal MicroPython) count from there.
_EPOCH_OFFSET_S = 946684800 if time.gmtime(0)[0] == 2000 else 0


_POLL_MS = const(20)   # how often a wait looks at the button
# ticks.PERIOD - 1, written out as ticks.py does: ticks are handed out in
# [0, PERIOD) on every runtime, and an elapsed time is the difference of
# two of them masked by this (no import of ticks.py for one subtraction).
_MASK = const(0x3FFFFFFF)


# The clock is this module: now(), wall_s() and wait() are what the app
# calls on it (the emulator passes an object with the same three). A Clock
# class would stay in the heap for the board's whole life, for one
# instance with no state.


def now():
    return ticks_ms() & _MASK


def wall_s():
    # Seconds since 1970, or None while the clock is not set.
    s = int(time.time()) + _EPOCH_OFFSET_S
    return s if s >= BUILD_EPOCH_S else None


def wait(ms, interrupted):
    # Sleep up to `ms`, returning early when interrupted() is true (a
    # button press). Short steps: a board has no other events to wait on.
    start = now()
    while True:
        if interrupted():
            return
        left = ms - ((now() - start) & _MASK)
        if left <= 0:
            return
        sleep_ms(left if left < _POLL_MS else _POLL_MS)
