"""Helpers for the driver tests: a bus recorder, the same drawing program
on both interpreters, and a `machine` for the real MicroPython that records
SPI bytes with the D/C level."""

import random

from host_tools.emulator import machine

PANELS = {
    # board-like setups: (driver module, class, w, h, kwargs, chip factory)
    "st7789": ("st7789", "ST7789", 240, 135,
               dict(x_offset=40, y_offset=53, madctl=0x60, invert=True)),
    "ili9342c": ("ili9342c", "ILI9342C", 320, 240, dict()),
}
PINS = dict(cs=5, dc=16, rst=23, bl=4)


class Recorder:
    """Sits on the SPI bus next to the chip and keeps every transfer."""

    def __init__(self):
        self.writes = []

    def spi_write(self, data, dc):
        self.writes.append((dc, bytes(data)))

    def stream(self):
        return b"".join(b"%d:%s\n" % (dc, data.hex().encode()) for dc, data in self.writes)


def program(seed, colours=2, n=30):
    """A random drawing program: tuples (op, *args) in panel coordinates."""
    rnd = random.Random(seed)
    ops = [("fill", rnd.randrange(colours))]
    for _ in range(n):
        c = rnd.randrange(colours)
        kind = rnd.choice(("fill_rect", "line", "text", "pixel", "ellipse", "rect"))
        x, y = rnd.randrange(-20, 330), rnd.randrange(-20, 250)
        if kind == "text":
            ops.append(("text", "devflow %d" % rnd.randrange(1000), x, y, c))
        elif kind == "pixel":
            ops.append(("pixel", x, y, c))
        elif kind == "ellipse":
            ops.append(("ellipse", x, y, rnd.randrange(1, 40), rnd.randrange(1, 40), c, rnd.random() < 0.5))
        else:
            ops.append((kind, x, y, rnd.randrange(-5, 120), rnd.randrange(-5, 90), c))
    return ops


RUN_OPS = r'''
def run_ops(fb, ops):
    for op in ops:
        name = op[0]
        a = op[1:]
        if name == "fill":
            fb.fill(a[0])
        elif name == "rect":
            fb.rect(a[0], a[1], a[2], a[3], a[4])
        else:
            getattr(fb, name)(*a)
    fb.show()
'''

FAKE_MACHINE = r'''
import ubinascii
PINS = {}
OUT = []
class Pin:
    IN = 1
    OUT = 3
    PULL_UP = 2
    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.id = id
        self.v = 0 if value is None else value
        PINS[id] = self
    def init(self, mode=-1, pull=-1, value=None):
        if value is not None:
            self.v = value
    def value(self, v=None):
        if v is None:
            return self.v
        self.v = 1 if v else 0
    __call__ = value
class SPI:
    DC = 16
    CS = 5
    def __init__(self, *a, **k):
        pass
    def write(self, buf):
        if PINS[self.CS].v == 0:
            OUT.append(b"%d:%s\n" % (PINS[self.DC].v, ubinascii.hexlify(buf)))
'''


def micropython_source(panel, ops):
    mod, cls, w, h, kwargs = PANELS[panel]
    return "\n".join([
        "import sys", "sys.path.insert(0, 'fake')",
        "import machine", "from machine import Pin, SPI",
        "from devflow.drivers.%s import %s" % (mod, cls),
        RUN_OPS,
        "d = %s(SPI(1), %d, %d, Pin(%d, Pin.OUT, value=1), Pin(%d, Pin.OUT), rst=Pin(%d, Pin.OUT),"
        " bl=Pin(%d, Pin.OUT), **%r)" % (cls, w, h, PINS["cs"], PINS["dc"], PINS["rst"], PINS["bl"], kwargs),
        "machine.OUT.clear()",
        "run_ops(d, %r)" % (ops,),
        "sys.stdout.write(b''.join(machine.OUT).decode())",
    ])


def build_panel(panel, recorder=None, chip=None, **overrides):
    """The driver on the emulated bus (bus 1, the PINS above)."""
    import importlib
    mod, cls, w, h, kwargs = PANELS[panel]
    if chip is not None:
        machine.attach_spi_device(1, chip, cs=PINS["cs"], dc=PINS["dc"])
    if recorder is not None:
        machine.attach_spi_device(1, recorder, cs=PINS["cs"], dc=PINS["dc"])
    driver = getattr(importlib.import_module("devflow.drivers." + mod), cls)
    kw = dict(kwargs, **overrides)
    P = machine.Pin
    return driver(machine.SPI(1), w, h, P(PINS["cs"], P.OUT, value=1), P(PINS["dc"], P.OUT),
                  rst=P(PINS["rst"], P.OUT), bl=P(PINS["bl"], P.OUT), **kw)


def run_ops(fb, ops):
    namespace = {}
    exec(RUN_OPS, namespace)
    namespace["run_ops"](fb, ops)
