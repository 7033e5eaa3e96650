# The virtual board's `machine` (MicroPython; imported by vboard_setup.py).
#
# The unix port's own machine is read-only and has no reset(). This module
# adds reset() and forwards every other name to the port's module (module
# __getattr__), so it copies nothing: a board's machine lives in ROM, and
# the agent's heap figures should not pay for this one. With peripherals,
# vboard_machine.py adds its Pin and I2C here.
import sys

# An extending module reaches the built-in of its own name with sys.path empty.
path, sys.path = sys.path, ()
import machine as _port

sys.path = path
del sys, path


def reset():
    raise SystemExit(99)  # the exit code supervisor.HARD_RESET_EXIT reads as "hard reset"


def __getattr__(name):
    return getattr(_port, name)
