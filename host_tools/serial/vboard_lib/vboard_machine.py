# The pins and buses a board's `machine` has and the unix port lacks.
#
# MicroPython code, loaded by vboot.py into the virtual board's `machine`
# (never shipped to a board, kept out of agent/). Just enough for the board
# files: Pin with value(), and an I2C whose writes go to a side-channel
# file, /_vboard/i2c.bin, as records the host replays into the emulator's
# SSD1306 chip model (host_tools/serial/panel.py). The bytes recorded are
# the bytes a real chip would get on the wire, so a driver bug shows as a
# wrong picture on the host, as with a real panel.
#
# Record: address (1 byte), length (3 bytes, big endian), the transfer.
# One record per I2C transfer, because the SSD1306 control byte's meaning
# depends on where a transfer starts. Writes are flushed at once so the
# host sees a frame as soon as show() returns. Heap cost per transfer: none
# (a reused 4-byte header), so memory probes of the agent stay honest.

_STREAM = "/_vboard/i2c.bin"


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 4
    IRQ_RISING = 8

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.id = id
        self._pull = pull
        # An input with a pull-up reads 1 until something pulls it down:
        # a button that nobody presses.
        self._value = 1 if pull == Pin.PULL_UP else 0
        if value is not None:
            self._value = 1 if value else 0

    def init(self, mode=-1, pull=-1, value=None):
        if value is not None:
            self._value = 1 if value else 0

    def value(self, v=None):
        if v is None:
            return self._value
        self._value = 1 if v else 0

    def on(self):
        self._value = 1

    def off(self):
        self._value = 0

    def irq(self, handler=None, trigger=0):
        return None


class I2C:
    def __init__(self, id=0, scl=None, sda=None, freq=400000):
        self._head = bytearray(4)
        try:
            self._out = open(_STREAM, "ab")
        except OSError:
            self._out = None  # no side channel: writes go nowhere, as to a bare bus

    def scan(self):
        return [0x3C]

    def _record(self, addr, n):
        h = self._head
        h[0] = addr
        h[1] = (n >> 16) & 0xFF
        h[2] = (n >> 8) & 0xFF
        h[3] = n & 0xFF
        self._out.write(h)

    def writeto(self, addr, buf, stop=True):
        if self._out is not None:
            self._record(addr, len(buf))
            self._out.write(buf)
            self._out.flush()
        return len(buf)

    def writevto(self, addr, vector, stop=True):
        n = 0
        for b in vector:
            n += len(b)
        if self._out is not None:
            self._record(addr, n)
            for b in vector:
                self._out.write(b)
            self._out.flush()
        return n

    def readfrom(self, addr, n, stop=True):
        return bytes(n)


SoftI2C = I2C
