# The first code the virtual board's MicroPython runs (unix port, `-i`).
#
# MicroPython code, not CPython. It gives the unix port a board's manners:
# vboard_lib/vboard_setup.py mounts the flash folder at `/`, sets a board's
# sys.path and puts a `machine` with reset() (and, with peripherals, Pin and
# I2C) where `import machine` finds it (see there); then boot.py and main.py
# run as on power-up. After this file the port's own REPL takes over, as a
# board's does.
#
# A board's heap holds none of this shim, so the agent's heap figures should
# not either: the setup is a module that is imported, run and dropped, and
# this file, whose code stays alive while main.py runs, is kept tiny.
import os
import sys

# From vboard_lib, by short names: each imported file's name is interned for good.
os.chdir(sys.path[0] + "/vboard_lib")
sys.path[0] = ""
for name in __import__("vboard_setup").names:
    try:
        os.stat(name)
    except OSError:
        continue
    try:
        execfile(name, {"__name__": "__main__"})
    except SystemExit:
        raise
    except BaseException as e:  # a board prints any error (Ctrl-C too) and goes on to the REPL
        sys.print_exception(e)
del name
