"""Any ESP32 board with no display: the code goes out on the serial port.

    signal      ESP32 pin   part
    ---------   ---------   ---------------------------------------------
    display     none        the app prints `devflow: pairing_code ...` and
                            `devflow: screen ...` lines (115200 baud)
    button      GPIO0       the BOOT button: to GND, pull-up, active low
    led         GPIO2       the on-board LED of most dev boards
"""

import sys

from machine import Pin

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "headless"
colour = False
button_active = 0
display = None


def make_board():
    board = sys.modules[__name__]
    board.button = Pin(0, Pin.IN, Pin.PULL_UP)
    board.led = Pin(2, Pin.OUT, value=0)
    return board
