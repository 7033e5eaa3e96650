"""LilyGO TTGO T-Display (ESP32, 1.14" ST7789V IPS 135x240). Wiring only.

    signal      ESP32 pin   part
    ---------   ---------   ---------------------------------------------
    SPI MOSI    GPIO19      ST7789 SDA        (SPI(1), 40 MHz, mode 3)
    SPI SCLK    GPIO18      ST7789 SCL
    CS          GPIO5       ST7789 CS, active low
    DC          GPIO16      ST7789 D/C: 0 command, 1 parameter / pixels
    RST         GPIO23      ST7789 RES, active low
    backlight   GPIO4       high = on (through a transistor)
    button      GPIO0       left button (BOOT): to GND, pull-up, active low
    back        GPIO35      right button: input-only pin, external pull-up
                            on the board, active low
    led         none

Held in landscape (buttons on the right): MADCTL MV|MX, and the 135x240
glass sits in the controller's 240x320 RAM at x=40, y=53 (portrait: 52, 40).
The frame is MONO_HLSB, 4.0 KB (see devflow/drivers/dcs.py).
"""

import sys

from machine import SPI, Pin

from devflow.drivers import dcs
from devflow.drivers.st7789 import ST7789

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "ttgo-tdisplay"
colour = False      # indexed frame: the screens draw 0 = black, 1 = white
button_active = 0
led = None


def make_board():
    board = sys.modules[__name__]
    spi = SPI(1, baudrate=40000000, polarity=1, phase=1, sck=Pin(18), mosi=Pin(19))
    board.display = ST7789(spi, 240, 135, cs=Pin(5, Pin.OUT, value=1),
                           dc=Pin(16, Pin.OUT, value=0), rst=Pin(23, Pin.OUT, value=1),
                           bl=Pin(4, Pin.OUT, value=0), x_offset=40, y_offset=53,
                           madctl=dcs.MADCTL_MV | dcs.MADCTL_MX, invert=True)
    board.button = Pin(0, Pin.IN, Pin.PULL_UP)
    board.back = Pin(35, Pin.IN)
    return board
