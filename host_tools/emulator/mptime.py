"""The board's `time` module: CPython's `time` plus MicroPython's ticks.

install_board_modules() registers this as `time`. Everything CPython's
module has (time, sleep, monotonic, gmtime ...) stays the real thing, so
host code that imports time afterwards is unaffected; the MicroPython-only
names (ticks_ms, ticks_us, ticks_cpu, ticks_add, ticks_diff, sleep_ms,
sleep_us) read the emulator's current clock (vclock), which may be virtual.
"""

import sys
import time as _real
import types

from host_tools.emulator import vclock

_MASK = vclock.PERIOD - 1
_HALF = vclock.PERIOD >> 1


def ticks_ms():
    return vclock.current().ticks_ms()


def ticks_us():
    return vclock.current().ticks_us()


def ticks_add(ticks, delta):
    return (ticks + delta) & _MASK


def ticks_diff(later, earlier):
    d = (later - earlier) & _MASK
    return d - vclock.PERIOD if d >= _HALF else d


def sleep_ms(ms):
    vclock.current().sleep_ms(ms)


def sleep_us(us):
    vclock.current().sleep_ms(us / 1000)


def make_module():
    mod = types.ModuleType("time", _real.__doc__)
    mod.__dict__.update({k: v for k, v in vars(_real).items() if not k.startswith("__")})
    mod.ticks_ms, mod.ticks_us, mod.ticks_cpu = ticks_ms, ticks_us, ticks_us
    mod.ticks_add, mod.ticks_diff = ticks_add, ticks_diff
    mod.sleep_ms, mod.sleep_us = sleep_ms, sleep_us
    mod.emulated = True
    return mod


def install():
    if not getattr(sys.modules.get("time"), "emulated", False):
        sys.modules["time"] = make_module()
