"""An emulated SSD1306 controller and the glass it drives.

It sits on an emulated bus and only sees bytes: the I2C control-byte
stream or SPI bytes with the D/C# pin. It decodes the datasheet's command
set into registers and writes data into its own 128 x 8-page GDDRAM with
the addressing mode's pointer rules. panel_pixels() then turns GDDRAM and
registers into what the glass shows. Nothing here looks at the driver's
framebuffer, so a driver bug (wrong window, wrong remap, no charge pump)
shows as a wrong picture.

    chip = SSD1306Chip(128, 64)
    machine.attach_i2c_device(0, 0x3C, chip)
    ... board code draws and calls show() ...
    image = chip.panel_pixels()        # PanelImage of 0/1
"""

from host_tools.emulator.screen import PanelImage

RAM_COLS, RAM_PAGES, RAM_ROWS = 128, 8, 64

# Bytes of arguments each command takes, so the stream stays in sync
# even through commands the emulator does not act on.
_ARG_COUNT = {
    0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xA8: 1, 0xD3: 1, 0xD5: 1, 0xD9: 1,
    0xDA: 1, 0xDB: 1, 0x8D: 1, 0xD6: 1,             # D6: zoom (SSD1306B)
    0x26: 6, 0x27: 6, 0x29: 5, 0x2A: 5, 0xA3: 2,     # scrolling setup
}


def _interleave(y, rows):
    half = rows // 2
    return 2 * y if y < half else 2 * (y - half) + 1


def _deinterleave(y, rows):
    return y // 2 + (rows // 2 if y & 1 else 0)


class SSD1306Chip:
    """The controller's state; reset values from the datasheet (section 10)."""

    def __init__(self, width=128, height=64, external_vcc=False):
        # The glass: how many columns/rows it has, and which COM pin
        # configuration its wiring expects (64-row glass: alternative).
        self.width, self.height = width, height
        self.wired_alt_com = height == 64
        self.col_offset = (RAM_COLS - width) // 2
        self.external_vcc = external_vcc
        self.gddram = bytearray(RAM_COLS * RAM_PAGES)
        self.unknown_commands = []
        self._pending = None    # (command, args so far, args needed)
        self.reset()

    def reset(self):
        self.display_on, self.contrast, self.inverse = False, 0x7F, False
        self.entire_on, self.charge_pump, self.scrolling = False, False, False
        self.mode = 2                      # page addressing after reset
        self.col_start, self.col_end = 0, RAM_COLS - 1
        self.page_start, self.page_end = 0, RAM_PAGES - 1
        self.col, self.page = 0, 0
        self.start_line, self.offset, self.mux = 0, 0, RAM_ROWS - 1
        self.seg_remap, self.com_reversed = False, False
        self.com_alt = True                # 0xDA reset value 0x12
        self._pending = None

    # -- bus side -----------------------------------------------------------

    def i2c_write(self, data):
        """One I2C write transfer (after the address byte)."""
        i, n = 0, len(data)
        while i < n:
            control = data[i]
            is_data = bool(control & 0x40)
            if control & 0x80:             # Co=1: one byte, then a new control byte
                if i + 1 < n:
                    self._byte(data[i + 1], is_data)
                i += 2
            else:                          # Co=0: the rest of the transfer
                for b in data[i + 1:]:
                    self._byte(b, is_data)
                return

    def i2c_read(self, nbytes):
        # Status byte: D6 = 1 while the display is off.
        return bytes([0x00 if self.display_on else 0x40]) * nbytes

    def spi_write(self, data, dc):
        """4-wire SPI: the D/C# pin says data (1) or command (0)."""
        for b in data:
            self._byte(b, bool(dc))

    def _byte(self, b, is_data):
        if is_data:
            self._write_ram(b)
        elif self._pending is not None:
            cmd, args, need = self._pending
            args.append(b)
            if len(args) == need:
                self._pending = None
                self._command(cmd, args)
        elif b in _ARG_COUNT:
            self._pending = (b, [], _ARG_COUNT[b])
        else:
            self._command(b, [])

    # -- commands -----------------------------------------------------------

    def _command(self, cmd, args):
        if cmd in (0xAE, 0xAF):
            self.display_on = cmd == 0xAF
        elif cmd == 0x81:
            self.contrast = args[0]
        elif cmd in (0xA4, 0xA5):
            self.entire_on = cmd == 0xA5
        elif cmd in (0xA6, 0xA7):
            self.inverse = cmd == 0xA7
        elif cmd in (0xA0, 0xA1):
            self.seg_remap = cmd == 0xA1
        elif cmd in (0xC0, 0xC8):
            self.com_reversed = cmd == 0xC8
        elif 0x40 <= cmd <= 0x7F:
            self.start_line = cmd & 0x3F
        elif cmd == 0xA8:
            # Datasheet: 16MUX..64MUX; 0..14 are invalid and ignored.
            if (args[0] & 0x3F) >= 15:
                self.mux = args[0] & 0x3F
        elif cmd == 0xD3:
            self.offset = args[0] & 0x3F
        elif cmd == 0xDA:
            self.com_alt = bool(args[0] & 0x10)
        elif cmd == 0x8D:
            self.charge_pump = bool(args[0] & 0x04)
        elif cmd in (0x2E, 0x2F):
            self.scrolling = cmd == 0x2F   # recorded, not animated
        else:
            self._addressing(cmd, args)

    def _addressing(self, cmd, args):
        if cmd == 0x20:
            self.mode = args[0] & 0x03 if args[0] & 0x03 != 3 else self.mode
        elif cmd == 0x21:
            self.col_start, self.col_end = args[0] & 0x7F, args[1] & 0x7F
            if self.mode != 2:             # only for horizontal/vertical mode
                self.col = self.col_start
        elif cmd == 0x22:
            self.page_start, self.page_end = args[0] & 0x07, args[1] & 0x07
            if self.mode != 2:
                self.page = self.page_start
        elif 0xB0 <= cmd <= 0xB7:
            if self.mode == 2:             # page-mode only
                self.page = cmd & 0x07
        elif cmd <= 0x0F:
            if self.mode == 2:
                self.col = (self.col & 0xF0) | cmd
        elif 0x10 <= cmd <= 0x1F:
            if self.mode == 2:
                self.col = (self.col & 0x0F) | ((cmd & 0x07) << 4)
        elif cmd in _ARG_COUNT or cmd in (0xE3,):
            pass                           # timing, scroll setup, NOP: no picture effect
        else:
            self.unknown_commands.append(cmd)

    def _write_ram(self, b):
        self.gddram[self.page * RAM_COLS + self.col] = b
        if self.mode == 0:                 # horizontal: along the page, then next page
            self.col += 1
            if self.col > self.col_end:
                self.col = self.col_start
                self.page = self.page + 1 if self.page < self.page_end else self.page_start
        elif self.mode == 1:               # vertical: down the pages, then next column
            self.page += 1
            if self.page > self.page_end:
                self.page = self.page_start
                self.col = self.col + 1 if self.col < self.col_end else self.col_start
        else:                              # page: column wraps, page stays
            self.col = (self.col + 1) % RAM_COLS

    # -- glass side ---------------------------------------------------------

    def _lit(self):
        # No picture without the panel supply: internal VCC needs the
        # charge pump, which is off after reset.
        return self.display_on and (self.charge_pump or self.external_vcc)

    def _glass_row(self, i):
        """Glass row driven by the i-th scanned row, or None if undriven."""
        n = self.mux + 1
        com = n - 1 - i if self.com_reversed else i
        # Modules are wired so A1 + C8 is upright: COM0 is the bottom row.
        y = self.height - 1 - com
        if self.com_alt != self.wired_alt_com:
            # COM pin config not what the glass is wired for: the picture
            # comes out as every other line (a classic 0xDA mistake).
            y = _interleave(y, self.height) if self.com_alt else _deinterleave(y, self.height)
        return y if 0 <= y < self.height else None

    def _ram_pixel(self, col, row):
        return (self.gddram[(row >> 3) * RAM_COLS + col] >> (row & 7)) & 1

    def panel_pixels(self):
        """What the glass shows now: PanelImage of 0/1, row-major."""
        out = bytearray(self.width * self.height)
        if not self._lit():
            return PanelImage(self.width, self.height, bytes(out))
        for i in range(self.mux + 1):
            y = self._glass_row(i)
            if y is None:
                continue
            row = (i + self.start_line + self.offset) % RAM_ROWS
            for x in range(self.width):
                # Glass is wired mirrored: with remap (A1) column address
                # c lands at x = c, without it the picture is flipped.
                upright = self.col_offset + x
                col = upright if self.seg_remap else RAM_COLS - 1 - upright
                on = 1 if self.entire_on else self._ram_pixel(col, row) ^ self.inverse
                out[y * self.width + x] = on
        return PanelImage(self.width, self.height, bytes(out))

    def panel_levels(self):
        """Brightness 0..255 per pixel; contrast sets how bright 'on' is
        (an OLED at contrast 0 is dim, not dark)."""
        level = 40 + self.contrast * 215 // 255
        bits = self.panel_pixels()
        return PanelImage(self.width, self.height, bytes(level if p else 0 for p in bits.pixels))
