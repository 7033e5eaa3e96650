# MIPI DCS colour panels over 4-wire SPI (ST7789, ILI9341/ILI9342C, ...).
#
# Memory first. A full RGB565 frame of a 240x135 panel is 63 KB and of a
# 320x240 panel 150 KB: more than an ESP32 without PSRAM can spare next to
# TLS (the Python heap starts at ~56-110 KB). So the frame here is an
# *indexed* FrameBuffer (MONO_HLSB: 1 bit a pixel, or GS2/GS4/GS8) and
# show() expands it a band of lines at a time into a small RGB565 buffer with
# FrameBuffer.blit(..., palette=) - native code, no Python loop per pixel.
#
#     frame          240x135    320x240
#     MONO_HLSB      4.0 KB     9.4 KB     (default: the screens use 2 colours)
#     GS4_HMSB      15.8 KB    37.5 KB
#     band (8 lines) 3.8 KB     5.0 KB     + palette, 32 B at most
#
# Byte order: framebuf keeps RGB565 little-endian in memory, the controller
# takes big-endian over SPI. The palette holds byte-swapped colours, so the
# band's bytes are already in wire order and go out with one spi.write().
#
# Command values are from the MIPI DCS 1.02 set both controllers share
# (ST7789V datasheet 9.1, ILI9342C datasheet 8.2). Subclasses give the RAM
# size and the init sequence.

import framebuf
from micropython import const
from time import sleep_ms

SWRESET = const(0x01)
SLPIN = const(0x10)
SLPOUT = const(0x11)
NORON = const(0x13)
INVOFF = const(0x20)
INVON = const(0x21)
DISPOFF = const(0x28)
DISPON = const(0x29)
CASET = const(0x2A)
RASET = const(0x2B)
RAMWR = const(0x2C)
MADCTL = const(0x36)
COLMOD = const(0x3A)

# MADCTL bits: row order, column order, row/column exchange, vertical and
# horizontal refresh order, and blue-green-red subpixel order.
MADCTL_MY = const(0x80)
MADCTL_MX = const(0x40)
MADCTL_MV = const(0x20)
MADCTL_ML = const(0x10)
MADCTL_BGR = const(0x08)
MADCTL_MH = const(0x04)

COLMOD_16BIT = const(0x55)   # 65K colours on both interfaces

# Index -> RGB565: black, white, amber, then a few plain colours.
DEFAULT_PALETTE = (0x0000, 0xFFFF, 0xFD20, 0x07E0, 0xF800, 0x001F, 0x7BEF, 0xFFE0,
                   0x0000, 0x18E3, 0x39E7, 0x5AEB, 0x7BEF, 0x9CF3, 0xBDF7, 0xDEFB)

_COLOURS = {framebuf.MONO_HLSB: 2, framebuf.GS2_HMSB: 4, framebuf.GS4_HMSB: 16, framebuf.GS8: 256}
_BITS = {framebuf.MONO_HLSB: 1, framebuf.GS2_HMSB: 2, framebuf.GS4_HMSB: 4, framebuf.GS8: 8}


def rgb565(r, g, b):
    return ((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3)


def frame_bytes(width, height, fmt):
    # Horizontal formats start every row on a byte.
    per_byte = 8 // _BITS[fmt]
    return ((width + per_byte - 1) // per_byte) * height


class DcsPanel(framebuf.FrameBuffer):
    """An indexed frame in RAM, sent to the controller's window by show()."""

    band_lines = 8

    def __init__(self, spi, width, height, cs, dc, rst=None, bl=None, x_offset=0,
                 y_offset=0, madctl=0, invert=False, fmt=framebuf.MONO_HLSB, palette=None):
        if fmt not in _COLOURS:
            raise ValueError("fmt must be an indexed format (MONO_HLSB, GS2_HMSB, GS4_HMSB, GS8)")
        self.spi, self.cs, self.dc, self.rst, self.bl = spi, cs, dc, rst, bl
        self.width, self.height = width, height
        self.x_offset, self.y_offset = x_offset, y_offset
        self.madctl, self.inverted = madctl, invert
        self.buffer = bytearray(frame_bytes(width, height, fmt))
        super().__init__(self.buffer, width, height, fmt)
        n = _COLOURS[fmt]
        self._pal_n = n     # MicroPython's FrameBuffer has no .width to ask
        self._pal = framebuf.FrameBuffer(bytearray(2 * n), n, 1, framebuf.RGB565)
        self.set_palette(palette or DEFAULT_PALETTE)
        self._band_buf = bytearray(width * self.band_lines * 2)
        self._band = framebuf.FrameBuffer(self._band_buf, width, self.band_lines, framebuf.RGB565)
        self._cmd = bytearray(1)
        self._args = bytearray(4)
        cs.init(cs.OUT, value=1)
        dc.init(dc.OUT, value=0)
        self.init_display()

    def set_palette(self, colours):
        # Stored byte-swapped: see the byte-order note at the top.
        self.palette = tuple(colours)
        for i in range(min(len(colours), self._pal_n)):
            c = colours[i]
            self._pal.pixel(i, 0, ((c & 0xFF) << 8) | (c >> 8))

    # -- the bus -------------------------------------------------------------

    def write_cmd(self, cmd, data=None):
        # One transaction: CS low, the command with D/C low, its parameters
        # with D/C high, CS high.
        self.cs(0)
        self.dc(0)
        self._cmd[0] = cmd
        self.spi.write(self._cmd)
        if data:
            self.dc(1)
            self.spi.write(data)
        self.cs(1)

    def _window(self, x0, y0, x1, y1):
        a = self._args
        x0 += self.x_offset
        x1 += self.x_offset
        a[0], a[1], a[2], a[3] = x0 >> 8, x0 & 0xFF, x1 >> 8, x1 & 0xFF
        self.write_cmd(CASET, a)
        y0 += self.y_offset
        y1 += self.y_offset
        a[0], a[1], a[2], a[3] = y0 >> 8, y0 & 0xFF, y1 >> 8, y1 & 0xFF
        self.write_cmd(RASET, a)

    # -- start-up --------------------------------------------------------------

    def hard_reset(self):
        # RST low for >10 us resets the controller; it needs 120 ms after
        # the rising edge before it takes SLPOUT (ST7789V 7.4.5).
        if self.rst is None:
            return
        self.rst.init(self.rst.OUT, value=1)
        self.rst(0)
        sleep_ms(1)
        self.rst(1)
        sleep_ms(120)

    def init_display(self):
        self.hard_reset()
        for cmd, data, delay in self.init_sequence():
            self.write_cmd(cmd, data)
            if delay:
                sleep_ms(delay)
        # Clear the RAM before the glass is switched on: after reset it
        # holds noise.
        self.fill(0)
        self.show()
        self.write_cmd(DISPON)
        sleep_ms(20)
        self.backlight(True)

    def init_sequence(self):
        # (command, parameters or None, delay ms after it)
        return (
            (SWRESET, None, 150),           # 5 ms before the next command, 120 before SLPOUT
            (SLPOUT, None, 120),            # 120 ms before SLPIN; 5 ms before anything else
            (COLMOD, bytes((COLMOD_16BIT,)), 10),
            (MADCTL, bytes((self.madctl,)), 0),
            (INVON if self.inverted else INVOFF, None, 0),
            (NORON, None, 10),
        )

    # -- what the app uses -------------------------------------------------------

    def backlight(self, on):
        if self.bl is not None:
            self.bl.init(self.bl.OUT, value=1 if on else 0)

    def poweroff(self):
        self.write_cmd(DISPOFF)
        self.write_cmd(SLPIN)
        self.backlight(False)

    def poweron(self):
        self.write_cmd(SLPOUT)
        sleep_ms(120)
        self.write_cmd(DISPON)
        self.backlight(True)

    def invert(self, flag):
        self.inverted = bool(flag)
        self.write_cmd(INVON if flag else INVOFF)

    def show(self):
        w, h = self.width, self.height
        self._window(0, 0, w - 1, h - 1)
        band, lines, pal = self._band, self.band_lines, self._pal
        out = memoryview(self._band_buf)
        self.cs(0)
        self.dc(0)
        self._cmd[0] = RAMWR
        self.spi.write(self._cmd)
        self.dc(1)
        for y in range(0, h, lines):
            # The frame shifted up by y lands its rows y.. in the band,
            # each index looked up in the palette on the way.
            band.blit(self, 0, -y, -1, pal)
            n = lines if h - y > lines else h - y
            self.spi.write(out[:n * w * 2])
        self.cs(1)
