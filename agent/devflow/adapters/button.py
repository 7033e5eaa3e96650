# The board's one push button, read by polling: debounced, with short and
# long presses. Anything with .value() is a button (a machine.Pin, an
# emulated pin).
#
# A board has one button for the app, so this module is the button: its
# state is the module's, set up by use(). A Button class would stay in the
# heap for the board's whole life, with its methods, for one instance.

from micropython import const

_DEBOUNCE_MS = const(30)
_LONG_MS = const(3000)

pin = None
active = 0
_down_at = None
_long_sent = False


def use(button, value):
    # The board's button pin, and the value() it reads while pressed.
    global pin, active, _down_at
    pin = button
    active = value
    _down_at = None


def pressed():
    return pin is not None and pin.value() == active


def poll(now, ticks_diff):
    # Returns "short" on release after a short press, "long" once while
    # held past _LONG_MS, else None.
    global _down_at, _long_sent
    if pin is None:
        return None
    if pressed():
        if _down_at is None:
            _down_at = now
            _long_sent = False
        elif not _long_sent and ticks_diff(now, _down_at) >= _LONG_MS:
            _long_sent = True
            return "long"
        return None
    if _down_at is None:
        return None
    held = ticks_diff(now, _down_at)
    _down_at = None
    if _long_sent or held < _DEBOUNCE_MS:
        return None
    return "short"
