# One push button read by polling: debounced, with short and long presses.
# Anything with .value() is a button (a machine.Pin, an emulated pin).


from micropython import const

_DEBOUNCE_MS = const(30)
_LONG_MS = const(3000)


class Button:
    def __init__(self, pin, active=0):
        self.pin = pin
        self.active = active
        self._down_at = None
        self._long_sent = False

    def pressed(self):
        return self.pin is not None and self.pin.value() == self.active

    def poll(self, now, ticks_diff):
        # Returns "short" on release after a short press, "long" once while
        # held past _LONG_MS, else None.
        if self.pin is None:
            return None
        if self.pressed():
            if self._down_at is None:
                self._down_at = now
                self._long_sent = False
            elif not self._long_sent and ticks_diff(now, self._down_at) >= _LONG_MS:
                self._long_sent = True
                return "long"
            return None
        if self._down_at is None:
            return None
        held = ticks_diff(now, self._down_at)
        self._down_at = None
        if self._long_sent or held < _DEBOUNCE_MS:
            return None
        return "short"
