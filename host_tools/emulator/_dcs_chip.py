"""The part of an emulated MIPI DCS controller that ST7789 and ILI9342C
share: it sees only SPI bytes and the D/C (and RST) pin levels, keeps its
own frame memory (GRAM, big-endian RGB565 as the wire sends it) and
registers, and renders the glass from them.

The address rules are the datasheets': CASET/RASET set the window, RAMWR
starts at its top-left and fills it row by row, wrapping inside it; MADCTL
decides where a logical (column, row) lands in RAM: MV exchanges them
first, then MX mirrors the RAM column and MY the RAM row (checked against
the T-Display's known landscape offsets: MV|MX needs y offset 53, not 52).
COLMOD 0x55 is 2 bytes a pixel; anything else is read as 18-bit (3 bytes),
so a driver that skips COLMOD draws garbage, as on the desk.

The glass: a window of RAM (its size and offset), wired RGB or BGR, IPS
glass that needs INVON, a backlight pin, and the way the board is held
(rotation in degrees). panel_image() -> PIL image of what a person sees.
"""

from host_tools.emulator import machine

# Parameter bytes of the commands the picture depends on.
CASET, RASET, RAMWR, RAMWRC, MADCTL, COLMOD = 0x2A, 0x2B, 0x2C, 0x3C, 0x36, 0x3A
MY, MX, MV, ML, BGR, MH = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04
_SIMPLE = {0x00: "nop", 0x01: "swreset", 0x10: "slpin", 0x11: "slpout", 0x12: "ptlon",
           0x13: "noron", 0x20: "invoff", 0x21: "invon", 0x28: "dispoff", 0x29: "dispon",
           0x38: "idmoff", 0x39: "idmon"}


class Glass:
    def __init__(self, width, height, x, y, bgr=False, needs_inversion=False,
                 backlight_pin=None, held_rotation=0):
        self.width, self.height, self.x, self.y = width, height, x, y
        self.bgr, self.needs_inversion = bgr, needs_inversion
        self.backlight_pin, self.held_rotation = backlight_pin, held_rotation


class DcsChip:
    ram_width, ram_height = 240, 320
    vendor_commands = ()      # accepted with any parameters, no picture effect

    def __init__(self, glass, rst_pin=None):
        self.glass, self.rst_pin = glass, rst_pin
        # Power-on RAM is not blank: a fixed noise pattern shows any part
        # of the glass the driver never wrote.
        n = self.ram_width * self.ram_height * 2
        self.gram = bytearray((i * 73 + (i >> 9) * 29) & 0xFF for i in range(n))
        self.log = []              # (command, parameters) in order, for tests
        self.unknown_commands = []
        self.reset()

    def reset(self):
        self.sleeping, self.display_on, self.inverted = True, False, False
        self.madctl, self.colmod = 0x00, 0x66
        self.xs, self.xe, self.ys, self.ye = 0, self.ram_width - 1, 0, self.ram_height - 1
        self.cmd, self.args, self.col, self.row = None, bytearray(), 0, 0
        self._partial = b""

    # -- bus side ------------------------------------------------------------

    def spi_write(self, data, dc):
        if self.rst_pin is not None and machine.pin_level(self.rst_pin) == 0:
            self.reset()           # held in reset: the interface is dead
            return
        if not dc:
            for b in data:
                self._command(b)
        elif self.cmd in (RAMWR, RAMWRC):
            self._pixels(bytes(data))
        elif self.cmd is not None:
            self.args += data
            self._parameters()

    def _command(self, b):
        self._finish_parameters()
        self.cmd, self.args, self._partial = b, bytearray(), b""
        name = _SIMPLE.get(b)
        self.log.append((b, b""))
        if name == "swreset":
            self.reset()
        elif name in ("slpin", "slpout"):
            self.sleeping = name == "slpin"
        elif name in ("invon", "invoff"):
            self.inverted = name == "invon"
        elif name in ("dispon", "dispoff"):
            self.display_on = name == "dispon"
        elif b == RAMWR:
            self.col, self.row = self.xs, self.ys
        elif b in (CASET, RASET, MADCTL, COLMOD, RAMWRC) or name or b in self.vendor_commands:
            pass
        else:
            self.unknown_commands.append(b)

    def _finish_parameters(self):
        if self.cmd is not None and self.args and self.log and self.log[-1][0] == self.cmd:
            self.log[-1] = (self.cmd, bytes(self.args))

    def _parameters(self):
        a = self.args
        if self.cmd in (CASET, RASET) and len(a) >= 4:
            start, end = (a[0] << 8) | a[1], (a[2] << 8) | a[3]
            if self.cmd == CASET:
                self.xs, self.xe = start, end
            else:
                self.ys, self.ye = start, end
        elif self.cmd == MADCTL and len(a) >= 1:
            self.madctl = a[0]
        elif self.cmd == COLMOD and len(a) >= 1:
            self.colmod = a[0]
        self._finish_parameters()

    # -- frame memory ----------------------------------------------------------

    def _bytes_per_pixel(self):
        return 2 if (self.colmod & 0x07) == 5 else 3

    def _to_565(self, data, bpp):
        if bpp == 2:
            return data
        out = bytearray()
        for i in range(0, len(data) - 2, 3):
            # 18-bit: R, G, B in the top six bits of three bytes.
            v = ((data[i] >> 3) << 11) | ((data[i + 1] >> 2) << 5) | (data[i + 2] >> 3)
            out += bytes((v >> 8, v & 0xFF))
        return bytes(out)

    def _pixels(self, data):
        bpp = self._bytes_per_pixel()
        data = self._partial + data
        usable = len(data) - len(data) % bpp
        self._partial = data[usable:]
        px = self._to_565(data[:usable], bpp)
        i, n = 0, len(px) // 2
        while i < n:
            if self.xs > self.xe or self.ys > self.ye:
                return
            run = min(self.xe - self.col + 1, n - i)
            self._store_run(px[2 * i:2 * (i + run)], self.col, self.row, run)
            i += run
            self.col += run
            if self.col > self.xe:
                self.col = self.xs
                self.row = self.row + 1 if self.row < self.ye else self.ys

    def _ram_xy(self, col, row):
        m = self.madctl
        x, y = (row, col) if m & MV else (col, row)
        if m & MX:
            x = self.ram_width - 1 - x
        if m & MY:
            y = self.ram_height - 1 - y
        return x, y

    def _store_run(self, px, col, row, run):
        # A run of one logical row is a straight line in RAM: along a RAM
        # row (no MV) or down a RAM column (MV), forwards or mirrored; so
        # two extended-slice assignments store it (hi and lo bytes).
        x0, y0 = self._ram_xy(col, row)
        x1, y1 = self._ram_xy(col + run - 1, row)
        w, h = self.ram_width, self.ram_height
        if not (0 <= x0 < w and 0 <= x1 < w and 0 <= y0 < h and 0 <= y1 < h):
            for k in range(run):        # partly outside RAM: per pixel, clipped
                x, y = self._ram_xy(col + k, row)
                if 0 <= x < w and 0 <= y < h:
                    self.gram[(y * w + x) * 2:(y * w + x) * 2 + 2] = px[2 * k:2 * k + 2]
            return
        step = ((y1 - y0) * w + (x1 - x0)) // max(1, run - 1) * 2 if run > 1 else 2
        start = (y0 * w + x0) * 2
        stop = start + step * run
        if step < 0:
            stop = stop if stop >= 0 else None
        self.gram[start:stop:step] = px[0::2]
        lo_stop = None if stop is None else stop + 1
        self.gram[start + 1:lo_stop:step] = px[1::2]

    # -- glass side ---------------------------------------------------------------

    def lit(self):
        bl = self.glass.backlight_pin
        backlight = bl is None or machine.pin_level(bl) == 1
        return backlight and self.display_on and not self.sleeping

    def glass_rgb565_le(self):
        """The glass window of RAM as little-endian RGB565 bytes."""
        g, w = self.glass, self.ram_width
        rows = []
        for y in range(g.y, g.y + g.height):
            start = (y * w + g.x) * 2
            rows.append(self.gram[start:start + g.width * 2])
        be = b"".join(rows)
        le = bytearray(len(be))
        le[0::2], le[1::2] = be[1::2], be[0::2]
        return bytes(le)

    def panel_image(self):
        """What a person sees, as the board is held: a PIL RGB image."""
        from PIL import Image, ImageOps
        g = self.glass
        if not self.lit():
            img = Image.new("RGB", (g.width, g.height))
        else:
            img = Image.frombytes("RGB", (g.width, g.height), self.glass_rgb565_le(), "raw", "BGR;16")
            if self.inverted != g.needs_inversion:
                img = ImageOps.invert(img)
            if bool(self.madctl & BGR) != g.bgr:
                r, gr, b = img.split()
                img = Image.merge("RGB", (b, gr, r))
        turns = {0: None, 90: Image.ROTATE_90, 180: Image.ROTATE_180, 270: Image.ROTATE_270}
        op = turns[g.held_rotation % 360]
        return img if op is None else img.transpose(op)
