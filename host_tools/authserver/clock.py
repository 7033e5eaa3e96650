"""Clocks. The server reads time only through `settings.clock()`.

Time is an input (aioquic style): a test hands the server a FakeClock and
moves it forward, so expiry and slow_down are checked without sleeping.
"""

import threading


class FakeClock:
    """A wall clock that only moves when told to. Thread-safe."""

    def __init__(self, start=1_700_000_000.0):
        self._now = float(start)
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            return self._now

    def advance(self, seconds):
        with self._lock:
            self._now += seconds
            return self._now
