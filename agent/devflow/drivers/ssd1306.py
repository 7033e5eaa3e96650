# SSD1306 OLED driver: the display is a framebuf.FrameBuffer (MONO_VLSB,
# whose byte layout is the controller's GDDRAM layout: one byte = 8 pixels
# of a column in a page), so drawing is framebuf's job and show() is one
# window command plus one bulk data write.
#
# The bus is two methods, write_cmd(cmd) and write_data(buf); SSD1306_I2C
# supplies them for I2C. A test bus is therefore two methods too.
#
# Command values are from the SSD1306 datasheet (Solomon Systech, rev 1.1,
# section 9 "Command Table").

import framebuf
from micropython import const

_DISPLAY_OFF = const(0xAE)
_DISPLAY_ON = const(0xAF)
_SET_CONTRAST = const(0x81)        # + 1 byte, 0..255
_ENTIRE_ON_RESUME = const(0xA4)    # show GDDRAM (0xA5 would light every pixel)
_NORMAL_DISPLAY = const(0xA6)      # | 1 = inverse
_ADDRESSING_MODE = const(0x20)     # + 1 byte: 0 horizontal, 1 vertical, 2 page
_COLUMN_ADDRESS = const(0x21)      # + start, end
_PAGE_ADDRESS = const(0x22)        # + start, end
_START_LINE = const(0x40)          # | line 0..63
_SEGMENT_REMAP = const(0xA0)       # | 1 = column 127 drives SEG0
_MULTIPLEX_RATIO = const(0xA8)     # + rows - 1
_COM_SCAN_INC = const(0xC0)        # scan COM0 -> COM[N-1]
_COM_SCAN_DEC = const(0xC8)        # scan COM[N-1] -> COM0
_DISPLAY_OFFSET = const(0xD3)      # + vertical shift
_COM_PINS = const(0xDA)            # + 0x02 sequential, 0x12 alternative
_CLOCK_DIV = const(0xD5)           # + divide ratio / oscillator frequency
_PRECHARGE = const(0xD9)           # + phase 1 / phase 2 periods
_VCOM_DESELECT = const(0xDB)       # + VCOMH level
_CHARGE_PUMP = const(0x8D)         # + 0x14 enable, 0x10 disable
_SCROLL_OFF = const(0x2E)


class SSD1306(framebuf.FrameBuffer):
    """A 128x64 or 128x32 SSD1306 panel; subclasses provide the bus."""

    def __init__(self, width, height, external_vcc=False):
        self.width = width
        self.height = height
        self.external_vcc = external_vcc
        self.pages = height // 8
        self.buffer = bytearray(self.pages * width)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        # Panels narrower than the 128-column GDDRAM sit in its middle.
        self.col_offset = (128 - width) // 2
        self.init_display()

    def _init_sequence(self):
        # The datasheet's power-up flow (section 8.9 / application note),
        # with the values the common glass modules are wired for: A1 + C8
        # shows the picture upright; 64-row glass uses alternative COM pins.
        ext = self.external_vcc
        return (
            _DISPLAY_OFF,
            _CLOCK_DIV, 0x80,
            _MULTIPLEX_RATIO, self.height - 1,
            _DISPLAY_OFFSET, 0x00,
            _START_LINE | 0,
            _CHARGE_PUMP, 0x10 if ext else 0x14,
            _ADDRESSING_MODE, 0x00,
            _SEGMENT_REMAP | 1,
            _COM_SCAN_DEC,
            _COM_PINS, 0x02 if self.height == 32 else 0x12,
            _SET_CONTRAST, 0x9F if ext else 0xCF,
            _PRECHARGE, 0x22 if ext else 0xF1,
            _VCOM_DESELECT, 0x30,        # ~0.83 x Vcc
            _ENTIRE_ON_RESUME,
            _NORMAL_DISPLAY,
            _SCROLL_OFF,
            _DISPLAY_ON,
        )

    def init_display(self):
        for cmd in self._init_sequence():
            self.write_cmd(cmd)
        self.fill(0)
        self.show()

    def poweroff(self):
        self.write_cmd(_DISPLAY_OFF)

    def poweron(self):
        self.write_cmd(_DISPLAY_ON)

    def contrast(self, value):
        self.write_cmd(_SET_CONTRAST)
        self.write_cmd(value & 0xFF)

    def invert(self, flag):
        self.write_cmd(_NORMAL_DISPLAY | (1 if flag else 0))

    def rotate(self, flag):
        # True = the upright default; False turns the picture 180 degrees
        # by mirroring both the column order and the COM scan direction.
        self.write_cmd(_COM_SCAN_DEC if flag else _COM_SCAN_INC)
        self.write_cmd(_SEGMENT_REMAP | (1 if flag else 0))

    def show(self):
        # Horizontal addressing: after the window is set, the data stream
        # fills it page by page, left to right, wrapping at the window edge.
        self.write_cmd(_COLUMN_ADDRESS)
        self.write_cmd(self.col_offset)
        self.write_cmd(self.col_offset + self.width - 1)
        self.write_cmd(_PAGE_ADDRESS)
        self.write_cmd(0)
        self.write_cmd(self.pages - 1)
        self.write_data(self.buffer)


class SSD1306_I2C(SSD1306):
    """SSD1306 on I2C. Every transfer starts with a control byte: 0x80
    (Co=1, D/C#=0) = one command byte follows; 0x40 (Co=0, D/C#=1) = the
    rest of the transfer is display data."""

    def __init__(self, width, height, i2c, addr=0x3C, external_vcc=False):
        self.i2c = i2c
        self.addr = addr
        self._cmd = bytearray(2)     # reused: no allocation per command
        self._cmd[0] = 0x80
        self._data_prefix = b"\x40"
        super().__init__(width, height, external_vcc)

    def write_cmd(self, cmd):
        self._cmd[1] = cmd
        self.i2c.writeto(self.addr, self._cmd)

    def write_data(self, buf):
        # writevto sends prefix + buffer as one transfer without copying
        # the 1 KB buffer into a new bytes object.
        self.i2c.writevto(self.addr, (self._data_prefix, buf))
