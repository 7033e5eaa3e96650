"""Emulated `machine` module: the same API a board file uses, with state.

install_board_modules() puts this module in sys.modules as `machine`, so
board files run unchanged. Board-side API (as on an ESP32): Pin, I2C,
SoftI2C, SPI, SoftSPI, RTC, WDT, unique_id, reset_cause, freq, idle,
lightsleep, deepsleep, reset, soft_reset.

Emulator-side API (what a board cannot see):
  attach_i2c_device(bus, addr, chip)   put a chip on a bus (see _buses)
  attach_spi_device(bus, chip, cs=, dc=)
  drive_pin(id, level) / release_pin(id)   an outside signal on a pin;
                                   edges fire the pin's irq handler
  pin_level(id)                    what the pin reads now
  set_clock(ms_fn)                 the clock WDT and RTC use (milliseconds)
  check_watchdog()                 True once a WDT has not been fed in time
  set_sleep_hooks(idle=, lightsleep=, deepsleep=)
  reset_emulator()                 forget all pins, chips, WDTs, hooks
"""

import time as _time

from host_tools.emulator import _buses
from host_tools.emulator._buses import (  # noqa: F401  (re-exported API)
    I2C, SPI, SoftI2C, SoftSPI, attach_i2c_device, attach_spi_device,
    detach_i2c_device, soft_i2c_key)

# Reset causes, with the ESP32 port's values.
PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET = 1, 2, 3, 4, 5


class DeepSleepReset(BaseException):
    """Raised by deepsleep() when no hook is set: a board never returns
    from deep sleep, it reboots. BaseException, so `except Exception` in
    agent code cannot swallow it."""


class ResetRequested(BaseException):
    """Raised by reset() / soft_reset(): the emulator restarts the board."""


class _PinState:
    def __init__(self):
        self.mode, self.pull, self.out = Pin.IN, None, 0
        self.driven = None          # level forced from outside, or None
        self.handler, self.trigger, self.pin = None, 0, None


_pins = {}
_wdts = []
_state = {"clock": None, "reset_cause": PWRON_RESET, "freq": 160000000,
          "unique_id": b"\x24\x0a\xc4\xde\xf1\x00", "hooks": {}}


def reset_emulator():
    _pins.clear()
    del _wdts[:]
    _buses.reset()
    _state.update(clock=None, reset_cause=PWRON_RESET, hooks={})
    RTC._base[:] = [946684800.0, None]   # 2000-01-01, MicroPython's epoch


def _pin_state(pin_id):
    return _pins.setdefault(pin_id, _PinState())


def _level(st):
    if st.mode == Pin.OUT:
        return st.out
    if st.mode == Pin.OPEN_DRAIN:
        # Released open drain reads the line: external driver, else pull-up.
        return 0 if st.out == 0 else (st.driven if st.driven is not None else 1)
    if st.driven is not None:
        return st.driven
    return 1 if st.pull == Pin.PULL_UP else 0


def pin_level(pin_id):
    return _level(_pin_state(pin_id))


def _change(pin_id, mutate):
    """Apply a change to a pin and fire its IRQ on the resulting edge."""
    st = _pin_state(pin_id)
    before = _level(st)
    mutate(st)
    after = _level(st)
    if before == after or st.handler is None:
        return
    edge = Pin.IRQ_RISING if after else Pin.IRQ_FALLING
    if st.trigger & edge:
        st.handler(st.pin)


def drive_pin(pin_id, level):
    """Force a pin's input level from outside (a button, another chip)."""
    _change(pin_id, lambda st: setattr(st, "driven", 1 if level else 0))


def release_pin(pin_id):
    _change(pin_id, lambda st: setattr(st, "driven", None))


class Pin:
    IN, OUT, OPEN_DRAIN = 1, 3, 7
    PULL_DOWN, PULL_UP = 1, 2
    IRQ_RISING, IRQ_FALLING = 1, 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None, **kwargs):
        self.id = id
        _pin_state(id).pin = self
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None, **kwargs):
        # -1 means "leave as is", as in MicroPython.
        def apply(st):
            if mode != -1:
                st.mode = mode
            if pull != -1:
                st.pull = pull
            if value is not None:
                st.out = 1 if value else 0
        _change(self.id, apply)

    def value(self, v=None):
        if v is None:
            return pin_level(self.id)
        _change(self.id, lambda st: setattr(st, "out", 1 if v else 0))
        return None

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def toggle(self):
        self.value(not pin_level(self.id))

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING, *, priority=1,
            wake=None, hard=False):
        st = _pin_state(self.id)
        st.handler, st.trigger, st.pin = handler, trigger, self
        return None

    def __repr__(self):
        return "Pin(%r)" % (self.id,)


# -- clock, watchdog, RTC ------------------------------------------------

def set_clock(ms_fn):
    """Use ms_fn() (milliseconds) as time for WDT and RTC; None = real time."""
    _state["clock"] = ms_fn


def _now_ms():
    fn = _state["clock"]
    return fn() if fn is not None else _time.monotonic() * 1000.0


class WDT:
    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout
        self._fed_at = _now_ms()
        _wdts.append(self)

    def feed(self):
        self._fed_at = _now_ms()

    def expired(self):
        return _now_ms() - self._fed_at > self.timeout


def check_watchdog():
    """True if any started WDT has gone unfed past its timeout; the
    emulator then plays the reset (reset_cause() becomes WDT_RESET)."""
    if any(w.expired() for w in _wdts):
        _state["reset_cause"] = WDT_RESET
        return True
    return False


class RTC:
    """Wall clock: set with datetime(tuple), then advances with the clock."""

    _base = [946684800.0, None]   # epoch seconds, clock ms at that moment

    def datetime(self, dt=None):
        import calendar
        if dt is not None:
            year, month, day, _wd, hh, mm, ss = dt[:7]
            sub = dt[7] if len(dt) > 7 else 0
            RTC._base[:] = [calendar.timegm((year, month, day, hh, mm, ss)) + sub / 1e6, _now_ms()]
            return None
        if RTC._base[1] is None:
            RTC._base[1] = _now_ms()
        secs = RTC._base[0] + (_now_ms() - RTC._base[1]) / 1000.0
        t = _time.gmtime(int(secs))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_wday, t.tm_hour, t.tm_min,
                t.tm_sec, int((secs % 1) * 1e6))

    def init(self, dt):
        self.datetime(dt)


# -- the rest of the module -----------------------------------------------

def unique_id():
    return _state["unique_id"]


def reset_cause():
    return _state["reset_cause"]


def freq(hz=None):
    if hz is None:
        return _state["freq"]
    _state["freq"] = hz
    return None


def set_sleep_hooks(**hooks):
    """idle=fn(), lightsleep=fn(ms), deepsleep=fn(ms): how the emulator
    plays sleeping (e.g. advance its fake clock instead of waiting)."""
    _state["hooks"].update(hooks)


def idle():
    hook = _state["hooks"].get("idle")
    if hook is not None:
        hook()


def lightsleep(ms=None):
    hook = _state["hooks"].get("lightsleep")
    if hook is not None:
        hook(ms)


def deepsleep(ms=None):
    hook = _state["hooks"].get("deepsleep")
    if hook is not None:
        return hook(ms)
    _state["reset_cause"] = DEEPSLEEP_RESET
    raise DeepSleepReset(ms)


def reset():
    _state["reset_cause"] = HARD_RESET
    raise ResetRequested("reset")


def soft_reset():
    _state["reset_cause"] = SOFT_RESET
    raise ResetRequested("soft_reset")


def disable_irq():
    return 0


def enable_irq(state=0):
    pass
