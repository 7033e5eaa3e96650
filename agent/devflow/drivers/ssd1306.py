# SSD1306 OLED driver on I2C: the display is a framebuf.FrameBuffer (MONO_VLSB,
# whose byte layout is the controller's GDDRAM layout: one byte = 8 pixels
# of a column in a page), so drawing is framebuf's job and show() is one
# window command transfer plus one bulk data write.
#
# The bus is anything with I2C's writeto(addr, buf) and writevto(addr,
# bufs): a machine.I2C, or two methods of a test bus. One class, and no
# methods the agent does not call (contrast, invert, power): the driver is
# in the heap for the board's whole life. Other commands are a transfer
# the caller writes: control byte 0x00, then the command bytes.
#
# Command values are from the SSD1306 datasheet (Solomon Systech, rev 1.1,
# section 9 "Command Table").

import framebuf


class SSD1306_I2C(framebuf.FrameBuffer):
    """A 128x64 or 128x32 SSD1306 panel on I2C. Every transfer starts with
    a control byte: 0x00 (Co=0, D/C#=0) = the rest of the transfer is
    commands; 0x40 (Co=0, D/C#=1) = the rest is display data."""

    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False):
        self.width = width
        self.height = height
        self.i2c = i2c
        self.addr = addr
        self.buffer = bytearray(height // 8 * width)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        # The data transfer's parts: writevto sends them as one transfer
        # without copying the 1 KB buffer, and a kept list means no tuple
        # per frame either.
        self._data = [b"\x40", self.buffer]
        # The datasheet's power-up flow (section 8.9 / application note),
        # with the values the common glass modules are wired for: A1 + C8
        # shows the picture upright; 64-row glass uses alternative COM pins.
        # One command or argument per byte, all in one transfer; the bytes
        # that depend on the glass and the panel's size are patched below.
        seq = bytearray(
            b"\x00"          # control byte: commands follow
            b"\xae"          # display off
            b"\xd5\x80"      # clock divide ratio / oscillator frequency
            b"\xa8\x3f"      # multiplex ratio: rows - 1
            b"\xd3\x00"      # display offset 0
            b"\x40"          # start line 0
            b"\x8d\x14"      # charge pump on (0x10: off, external VCC)
            b"\x20\x00"      # horizontal addressing
            b"\xa1"          # segment remap: column 127 drives SEG0
            b"\xc8"          # COM scan COM[N-1] -> COM0
            b"\xda\x12"      # COM pins: alternative (0x02 sequential)
            b"\x81\xcf"      # contrast
            b"\xd9\xf1"      # precharge phase 1 / phase 2 periods
            b"\xdb\x30"      # VCOMH level ~0.83 x Vcc
            b"\xa4"          # show GDDRAM (0xA5 would light every pixel)
            b"\xa6"          # normal, not inverse
            b"\x2e"          # scroll off
            b"\xaf"          # display on
            # The window a frame fills, columns then pages: panels
            # narrower than the 128-column GDDRAM sit in its middle.
            b"\x21\x00\x7f"  # column address: start, end
            b"\x22\x00\x07")  # page address: start, end
        seq[5] = height - 1
        if height == 32:
            seq[16] = 0x02
        if external_vcc:
            seq[10] = 0x10
            seq[18] = 0x9F
            seq[20] = 0x22
        col = (128 - width) // 2
        seq[-5] = col
        seq[-4] = col + width - 1
        seq[-1] = height // 8 - 1
        i2c.writeto(addr, seq)
        # show() sets the window again before every frame (a frame cut
        # short by a bus error then leaves no lasting shift): the last six
        # commands, kept as their own transfer, so a frame allocates nothing.
        self._window = b"\x00" + seq[-6:]
        self.fill(0)
        self.show()

    def show(self):
        # Horizontal addressing: after the window is set, the data stream
        # fills it page by page, left to right, wrapping at the window edge.
        self.i2c.writeto(self.addr, self._window)
        self.i2c.writevto(self.addr, self._data)
