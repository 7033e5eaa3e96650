"""M5Stack Core (Basic/Gray: ESP32, 2" ILI9342C IPS 320x240). Wiring only.

    signal      ESP32 pin   part
    ---------   ---------   ---------------------------------------------
    SPI MOSI    GPIO23      ILI9342C SDI      (SPI(2), 40 MHz, mode 0)
    SPI SCLK    GPIO18      ILI9342C SCL      (MISO GPIO19 is the SD card's)
    CS          GPIO14      ILI9342C CS, active low
    DC          GPIO27      ILI9342C D/C
    RST         GPIO33      ILI9342C RESET, active low
    backlight   GPIO32      high = on
    button A    GPIO39      left:   input-only pin, pull-up on the board,
    button B    GPIO38      middle: active low
    button C    GPIO37      right
    led         none

Landscape is the RAM's own orientation: MADCTL BGR only, no offsets. The
frame is MONO_HLSB, 9.4 KB (a full RGB565 frame would be 150 KB).
A is the app's button, C the back button; B is free.
"""

import sys

from machine import SPI, Pin

from devflow.drivers.ili9342c import ILI9342C

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "m5stack-core"
colour = False      # indexed frame: the screens draw 0 = black, 1 = white
button_active = 0
led = None


def make_board():
    board = sys.modules[__name__]
    spi = SPI(2, baudrate=40000000, polarity=0, phase=0, sck=Pin(18), mosi=Pin(23))
    board.display = ILI9342C(spi, 320, 240, cs=Pin(14, Pin.OUT, value=1),
                             dc=Pin(27, Pin.OUT, value=0), rst=Pin(33, Pin.OUT, value=1),
                             bl=Pin(32, Pin.OUT, value=0))
    board.button = Pin(39, Pin.IN)
    board.middle = Pin(38, Pin.IN)
    board.back = Pin(37, Pin.IN)
    return board
