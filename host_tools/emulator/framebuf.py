"""CPython stand-in for MicroPython's built-in `framebuf` module.

The emulator runs the real display drivers, so their pixels must be the
pixels a board would show: every drawing call here follows the integer
arithmetic and clipping of MicroPython's extmod/modframebuf.c, and
tests/emulator/test_emu_framebuf_fidelity.py compares the bytes with the real
interpreter. Where C semantics differ from Python's (division truncates
toward zero, colours are stored truncated to the pixel width, blit keys are
compared as uint32), the helpers below say so.
"""

from host_tools.emulator import _shapes
from host_tools.emulator.font8x8 import FONT

MONO_VLSB = MVLSB = 0
RGB565 = 1
GS4_HMSB = 2
MONO_HLSB = 3
MONO_HMSB = 4
GS2_HMSB = 5
GS8 = 6

_BITS_PER_PIXEL = {MONO_VLSB: 1, RGB565: 16, GS4_HMSB: 4, MONO_HLSB: 1,
                   MONO_HMSB: 1, GS2_HMSB: 2, GS8: 8}
# Horizontal formats round the stride up so every row starts on a byte.
_STRIDE_ALIGN = {MONO_HLSB: 8, MONO_HMSB: 8, GS2_HMSB: 4, GS4_HMSB: 2}

# Ellipse quadrant bits: Q2 Q1 / Q3 Q4, as in the MicroPython docs.
_QALL = 15


def _required_bytes(width, height, fmt, stride):
    # Same size check as framebuf_make_new: the last row (or page) needs
    # only `width` pixels, not a full stride.
    bpp = _BITS_PER_PIXEL[fmt]
    if fmt == MONO_VLSB:
        rows = (height + 7) & ~7
        strides = rows - 8
    else:
        rows, strides = height, height - 1
    align = _STRIDE_ALIGN.get(fmt, 1)
    width_req = (width + align - 1) & ~(align - 1)
    return (strides * stride + (rows - strides) * width_req) * bpp // 8


class FrameBuffer:
    """FrameBuffer(buffer, width, height, format, stride=width)."""

    def __init__(self, buffer, width, height, format, stride=None):
        width, height, fmt = int(width), int(height), int(format)
        stride = width if stride is None else int(stride)
        if (width < 1 or height < 1 or width > 0xFFFF or height > 0xFFFF
                or stride > 0xFFFF or stride < width):
            raise ValueError()
        if fmt not in _BITS_PER_PIXEL:
            raise ValueError("invalid format")
        align = _STRIDE_ALIGN.get(fmt, 1)
        stride = (stride + align - 1) & ~(align - 1)
        # A writable view: drawing must land in the caller's bytearray,
        # which the driver then sends over the bus.
        view = memoryview(buffer).cast("B")
        if view.readonly or _required_bytes(width, height, fmt, stride) > len(view):
            raise ValueError()
        self._buffer_obj = buffer
        self._buf = view
        self.width, self.height, self.stride, self.format = width, height, stride, fmt
        self._set = getattr(self, "_set%d" % fmt)
        self._get = getattr(self, "_get%d" % fmt)

    def __bytes__(self):
        # MicroPython exposes the buffer protocol; bytes(fb) is its common use.
        return bytes(self._buf)

    # -- per-format pixel access (callers have already clipped) ----------

    def _set0(self, x, y, c):
        i = (y >> 3) * self.stride + x
        bit = 1 << (y & 7)
        self._buf[i] = (self._buf[i] | bit) if c else (self._buf[i] & ~bit)

    def _get0(self, x, y):
        return (self._buf[(y >> 3) * self.stride + x] >> (y & 7)) & 1

    def _set1(self, x, y, c):
        i = (x + y * self.stride) * 2
        # uint16 store, little-endian as on ESP32, RP2040 and x86.
        self._buf[i] = c & 0xFF
        self._buf[i + 1] = (c >> 8) & 0xFF

    def _get1(self, x, y):
        i = (x + y * self.stride) * 2
        return self._buf[i] | (self._buf[i + 1] << 8)

    def _set2(self, x, y, c):
        i = (x + y * self.stride) >> 1
        if x & 1:
            self._buf[i] = (c & 0x0F) | (self._buf[i] & 0xF0)
        else:
            self._buf[i] = ((c << 4) & 0xFF) | (self._buf[i] & 0x0F)

    def _get2(self, x, y):
        v = self._buf[(x + y * self.stride) >> 1]
        return v & 0x0F if x & 1 else v >> 4

    def _set3(self, x, y, c):
        self._set_mono_h(x, y, c, 7 - (x & 7))

    def _get3(self, x, y):
        return (self._buf[(x + y * self.stride) >> 3] >> (7 - (x & 7))) & 1

    def _set4(self, x, y, c):
        self._set_mono_h(x, y, c, x & 7)

    def _get4(self, x, y):
        return (self._buf[(x + y * self.stride) >> 3] >> (x & 7)) & 1

    def _set_mono_h(self, x, y, c, shift):
        i = (x + y * self.stride) >> 3
        bit = 1 << shift
        self._buf[i] = (self._buf[i] | bit) if c else (self._buf[i] & ~bit)

    def _set5(self, x, y, c):
        i = (x + y * self.stride) >> 2
        shift = (x & 3) << 1
        self._buf[i] = ((c & 3) << shift) | (self._buf[i] & ~(3 << shift) & 0xFF)

    def _get5(self, x, y):
        return (self._buf[(x + y * self.stride) >> 2] >> ((x & 3) << 1)) & 3

    def _set6(self, x, y, c):
        self._buf[x + y * self.stride] = c & 0xFF

    def _get6(self, x, y):
        return self._buf[x + y * self.stride]

    def _set_checked(self, x, y, c):
        if 0 <= x < self.width and 0 <= y < self.height:
            self._set(x, y, c)

    def _fill_clipped(self, x, y, w, h, c):
        # fill_rect() in C: reject empty or off-screen, then clip.
        if h < 1 or w < 1 or x + w <= 0 or y + h <= 0 or y >= self.height or x >= self.width:
            return
        xend, yend = min(self.width, x + w), min(self.height, y + h)
        x, y = max(x, 0), max(y, 0)
        put = self._set
        for yy in range(y, yend):
            for xx in range(x, xend):
                put(xx, yy, c)

    # -- public API -------------------------------------------------------

    def fill(self, c):
        self._fill_clipped(0, 0, self.width, self.height, int(c))

    def fill_rect(self, x, y, w, h, c):
        self._fill_clipped(int(x), int(y), int(w), int(h), int(c))

    def pixel(self, x, y, c=None):
        x, y = int(x), int(y)
        if 0 <= x < self.width and 0 <= y < self.height:
            if c is None:
                return self._get(x, y)
            self._set(x, y, int(c))
        return None

    def hline(self, x, y, w, c):
        self._fill_clipped(int(x), int(y), int(w), 1, int(c))

    def vline(self, x, y, h, c):
        self._fill_clipped(int(x), int(y), 1, int(h), int(c))

    def rect(self, x, y, w, h, c, f=False):
        x, y, w, h, c = int(x), int(y), int(w), int(h), int(c)
        if f:
            self._fill_clipped(x, y, w, h, c)
            return
        self._fill_clipped(x, y, w, 1, c)
        self._fill_clipped(x, y + h - 1, w, 1, c)
        self._fill_clipped(x, y, 1, h, c)
        self._fill_clipped(x + w - 1, y, 1, h, c)

    def line(self, x1, y1, x2, y2, c):
        _shapes.draw_line(self, int(x1), int(y1), int(x2), int(y2), int(c))

    def ellipse(self, x, y, xr, yr, c, f=False, m=_QALL):
        mask = (0x10 if f else 0) | (int(m) & _QALL)
        _shapes.draw_ellipse(self, int(x), int(y), int(xr), int(yr), int(c), mask)

    def poly(self, x, y, coords, c, f=False):
        _shapes.draw_poly(self, int(x), int(y), [int(v) for v in coords], int(c), bool(f))

    def text(self, s, x, y, c=1):
        x0, y0, c = int(x), int(y), int(c)
        # C walks the UTF-8 bytes: a non-ASCII character becomes one
        # placeholder glyph (127) per byte.
        for ch in str(s).encode("utf-8"):
            if ch == 0:
                break  # C string: a NUL byte ends the text
            ch = ch if 32 <= ch <= 127 else 127
            glyph = FONT[(ch - 32) * 8:(ch - 32) * 8 + 8]
            for col in glyph:
                if 0 <= x0 < self.width:
                    _draw_glyph_column(self, x0, y0, col, c)
                x0 += 1

    def scroll(self, xstep, ystep):
        _shapes.scroll(self, int(xstep), int(ystep))

    def blit(self, source, x, y, key=-1, palette=None):
        if isinstance(source, tuple):
            source = FrameBuffer(*source)
        elif not isinstance(source, FrameBuffer):
            raise TypeError()
        if palette is not None and not isinstance(palette, FrameBuffer):
            raise TypeError()
        _shapes.blit(self, source, int(x), int(y), int(key), palette)


def _draw_glyph_column(fb, x, y, bits, c):
    while bits:
        if bits & 1 and 0 <= y < fb.height:
            fb._set(x, y, c)
        bits >>= 1
        y += 1


def FrameBuffer1(buffer, width, height, stride=None):
    """Legacy constructor: MONO_VLSB with an optional stride."""
    return FrameBuffer(buffer, width, height, MONO_VLSB, width if stride is None else stride)
