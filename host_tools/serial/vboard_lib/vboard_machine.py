# The pins and buses a board's `machine` has and the unix port lacks.
#
# MicroPython code, imported by vboard_setup.py, puts itself into the virtual
# board's `machine` (never shipped to a board, kept out of agent/). Just enough for
# the board files, and no more, since a board's machine costs no heap and
# this one does: Pin with value(), and an I2C whose writes go to a
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

import os
from struct import pack_into

import machine

# A host file, opened at import: vboard_setup.py imports this module before
# the flash folder becomes "/". The supervisor empties it at every start.
_out = open(os.getenv("DEVFLOW_VB_PERIPH") + "/i2c.bin", "ab")
_head = bytearray(4)


class Pin:
    IN = 0
    OUT = 1
    PULL_UP = 1

    def __init__(self, id, mode=-1, pull=-1, value=None):
        # An input with a pull-up reads 1 until something pulls it down:
        # a button that nobody presses.
        self.value(pull == Pin.PULL_UP if value is None else value)

    def value(self, v=None):
        if v is None:
            return self._v
        self._v = 1 if v else 0


class I2C:
    def __init__(self, id=0, scl=None, sda=None, freq=400000):
        pass

    def writeto(self, addr, buf, stop=True):
        pack_into(">I", _head, 0, addr << 24 | len(buf))
        _out.write(_head)
        return _out.write(buf)

    def writevto(self, addr, vector, stop=True):
        n = 0
        for b in vector:
            n += len(b)
        pack_into(">I", _head, 0, addr << 24 | n)
        _out.write(_head)
        for b in vector:
            _out.write(b)
        return n


machine.Pin = Pin
machine.I2C = I2C
del os, machine
