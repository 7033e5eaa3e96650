"""Raspberry Pi Pico W + 0.96" SSD1306 I2C OLED (128x64). Wiring only.

    signal      Pico W pin          OLED / part
    ---------   -----------------   -------------------------------------
    I2C0 SDA    GP4  (pin 6)        SDA   (400 kHz, OLED at address 0x3C)
    I2C0 SCL    GP5  (pin 7)        SCL
    3V3 / GND   pin 36 / pin 38     VCC / GND
    button      GP15 (pin 20)       push button to GND (pin 18): pull-up,
                                    active low
    led         "LED"               the on-board LED (on the CYW43 chip)

I2C0 on GP4/GP5 because those two pins sit next to each other at the top
of the board with a GND beside them (pin 8), so a 4-pin OLED header
plugs in with short wires; I2C1 (GP6/GP7) would work the same way.
"""

import sys

from machine import I2C, Pin

from devflow.drivers.ssd1306 import SSD1306_I2C

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "pico-w-ssd1306"
button_active = 0


def make_board():
    board = sys.modules[__name__]
    i2c = I2C(0, sda=Pin(4), scl=Pin(5), freq=400000)
    board.display = SSD1306_I2C(128, 64, i2c, addr=0x3C)
    board.button = Pin(15, Pin.IN, Pin.PULL_UP)
    board.led = Pin("LED", Pin.OUT, value=0)
    return board
