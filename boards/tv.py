"""A smart-TV-like device: a large colour panel and a remote with OK/Back.

    signal      pin         part
    ---------   ---------   ---------------------------------------------
    panel       RGB bus     480x270 RGB565, scanned from RAM (needs PSRAM:
                            the frame is 259 KB)
    OK          GPIO0       remote receiver's OK line, active low
    Back        GPIO14      remote receiver's Back line, active low
"""

from machine import Pin

from devflow.drivers.fbpanel import FramePanel


class Board:
    name = "tv"
    colour = True
    button_active = 0

    def __init__(self):
        self.display = FramePanel(480, 270)
        self.button = Pin(0, Pin.IN, Pin.PULL_UP)
        self.back = Pin(14, Pin.IN, Pin.PULL_UP)
        self.led = None


def make_board():
    return Board()
