# The virtual board's `machine` (MicroPython; imported by vboard_setup.py).
#
# The unix port's own machine is read-only and has no reset(). This module
# adds reset() and forwards every other name to the port's module (module
# __getattr__), so it copies nothing: a board's machine lives in ROM, and
# the agent's heap figures should not pay for this one. As frozen
# (agent_board.build_agent_romfs) it is imported compiled, from the ROMFS
# image, its bytecode run in place too; otherwise from this source.
#
# With peripherals (DEVFLOW_VB_PERIPH, a host folder) it also has the pins
# and buses a board's machine has and the unix port lacks, just enough for
# the board files and no more: Pin, and an I2C whose writes go to a
# side-channel file, <peripherals>/i2c.bin, as records the host replays into
# the emulator's SSD1306 chip model (host_tools/serial/panel.py). The bytes
# recorded are the bytes a real chip would get on the wire, so a driver bug
# shows as a wrong picture on the host, as with a real panel.
#
# Record: address (1 byte), length (3 bytes, big endian), the transfer.
# One record per I2C transfer, because the SSD1306 control byte's meaning
# depends on where a transfer starts. Writes are unbuffered, so the host
# sees a frame as soon as show() returns. Heap cost per transfer: none (a
# reused 4-byte header), so memory probes of the agent stay honest.
#
# Every name here is interned for good, so the names are few and mostly
# ones the port has built in (port, stream, head, buf, data).
import sys
from os import getenv

# An extending module reaches the built-in of its own name with sys.path empty.
path, sys.path = sys.path, ()
import machine as port

sys.path = path
del sys, path


def reset():
    raise SystemExit(99)  # the exit code supervisor.HARD_RESET_EXIT reads as "hard reset"


def __getattr__(name):
    return getattr(port, name)


if getenv("DEVFLOW_VB_PERIPH"):
    from struct import pack_into

    class Pin:
        # Pin(id, mode, pull, value=...) as a board file makes one, and
        # I2C(id, scl=..., sda=..., freq=...): one class serves as both (a
        # class is some 300 bytes of the heap the agent's figures count),
        # and a class without __init__ takes the arguments and ignores them
        # (MicroPython).
        #
        # As a pin: every board's buttons are active low and idle high
        # (pulled up), and nobody presses a virtual board's: an input reads
        # 1. Nothing reads an output back (an LED), so a write, value(v),
        # goes nowhere. (*v and no stop=True below: a default is a tuple
        # kept in the heap.)
        IN = 0
        OUT = 1
        PULL_UP = 1

        def value(self, *v):
            return 1

        # As a bus: the stream is a host file, opened at import:
        # vboard_setup.py imports this module before the flash folder
        # becomes "/". The supervisor empties it at every start, so "wb" (a
        # name the port has built in; "ab" would be one more interned)
        # writes the same.
        stream = open(getenv("DEVFLOW_VB_PERIPH") + "/i2c.bin", "wb")
        head = bytearray(4)

        def writeto(self, addr, buf):
            pack_into(">I", self.head, 0, addr << 24 | len(buf))
            self.stream.write(self.head)
            return self.stream.write(buf)

        def writevto(self, addr, buf):
            n = 0
            for data in buf:
                n += len(data)
            pack_into(">I", self.head, 0, addr << 24 | n)
            self.stream.write(self.head)
            for data in buf:
                self.stream.write(data)
            return n

    I2C = Pin


del getenv
