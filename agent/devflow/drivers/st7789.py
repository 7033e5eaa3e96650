# ST7789 / ST7789V TFT controller (Sitronix), 240x320 RAM, over 4-wire SPI.
#
# Everything but the RAM size and the defaults lives in dcs.DcsPanel (the
# MIPI DCS command set, the indexed frame and the banded show()). Glass
# smaller than the RAM sits at an offset inside it; the LilyGO T-Display's
# 135x240 IPS glass covers RAM columns 52..186 and rows 40..279, and IPS
# glass needs the inversion on (INVON) for black to be black.
#
# Rotation is MADCTL: the controller swaps rows and columns (MV) before it
# mirrors them (MX on RAM columns, MY on RAM rows), so a landscape picture
# on the T-Display is MV|MX with offsets x=40, y=53 (= 240 - 52 - 135).

from micropython import const

from devflow.drivers import dcs

RAM_WIDTH = const(240)
RAM_HEIGHT = const(320)

# Values of the controller's extra commands (ST7789V datasheet 9.2); only
# the porch and power settings boards commonly change are named here.
_PORCTRL = const(0xB2)
_GCTRL = const(0xB7)
_VCOMS = const(0xBB)


class ST7789(dcs.DcsPanel):
    def __init__(self, spi, width, height, cs, dc, rst=None, bl=None, x_offset=0,
                 y_offset=0, madctl=0, invert=True, fmt=None, palette=None):
        import framebuf
        super().__init__(spi, width, height, cs, dc, rst, bl, x_offset, y_offset, madctl,
                         invert, framebuf.MONO_HLSB if fmt is None else fmt, palette)

    def init_sequence(self):
        seq = list(super().init_sequence())
        # The reset porch / gate / VCOM values are what Sitronix's reference
        # init writes anyway; sending them makes a warm restart (no RST
        # line) land in the same state as a cold one.
        seq.insert(3, (_PORCTRL, bytes((0x0C, 0x0C, 0x00, 0x33, 0x33)), 0))
        seq.insert(4, (_GCTRL, bytes((0x35,)), 0))
        seq.insert(5, (_VCOMS, bytes((0x19,)), 0))
        return seq
