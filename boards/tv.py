"""A smart-TV-like device: a large colour panel and a remote with OK/Back.

    signal      pin         part
    ---------   ---------   ---------------------------------------------
    panel       RGB bus     480x270 RGB565, scanned from RAM (needs PSRAM:
                            the frame is 259 KB)
    OK          GPIO0       remote receiver's OK line, active low
    Back        GPIO14      remote receiver's Back line, active low
"""

import sys

from machine import Pin

from devflow.drivers.fbpanel import FramePanel

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "tv"
colour = True
button_active = 0
led = None


def make_board():
    board = sys.modules[__name__]
    board.display = FramePanel(480, 270)
    board.button = Pin(0, Pin.IN, Pin.PULL_UP)
    board.back = Pin(14, Pin.IN, Pin.PULL_UP)
    return board
