# ILI9342C TFT controller (ILI Technology), 320x240 RAM, over 4-wire SPI.
#
# The landscape sibling of the ILI9341: the RAM is 320 columns by 240 rows,
# so the M5Stack Core's glass needs no offset and no MV for landscape. Its
# glass is wired blue-green-red (MADCTL BGR) and, on the IPS batches sold
# since 2020, needs the inversion on. The DCS part is dcs.DcsPanel.
#
# Extended commands (power, VCOM) are locked until SETEXTC (0xC8) receives
# the magic 0xFF 0x93 0x42 (ILI9342C datasheet 8.3.1).

from micropython import const

from devflow.drivers import dcs

RAM_WIDTH = const(320)
RAM_HEIGHT = const(240)

_SETEXTC = const(0xC8)
_PWCTRL1 = const(0xC0)     # GVDD level
_PWCTRL2 = const(0xC1)     # step-up factor
_VMCTRL1 = const(0xC5)     # VCOM
_IFCTL = const(0xB0)       # RGB interface signal control


class ILI9342C(dcs.DcsPanel):
    def __init__(self, spi, width, height, cs, dc, rst=None, bl=None, x_offset=0,
                 y_offset=0, madctl=dcs.MADCTL_BGR, invert=True, fmt=None, palette=None):
        import framebuf
        super().__init__(spi, width, height, cs, dc, rst, bl, x_offset, y_offset, madctl,
                         invert, framebuf.MONO_HLSB if fmt is None else fmt, palette)

    def init_sequence(self):
        seq = list(super().init_sequence())
        # After SWRESET and before SLPOUT: unlock and set the supplies
        # (M5Stack's values for its glass).
        seq[1:1] = [
            (_SETEXTC, bytes((0xFF, 0x93, 0x42)), 0),
            (_PWCTRL1, bytes((0x12, 0x12)), 0),
            (_PWCTRL2, bytes((0x03,)), 0),
            (_VMCTRL1, bytes((0xF2,)), 0),
            (_IFCTL, bytes((0xE0,)), 0),
        ]
        return seq
