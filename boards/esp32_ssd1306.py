"""ESP32 dev board + 0.96" SSD1306 I2C OLED (128x64). Wiring only.

    signal      ESP32 pin   OLED / part
    ---------   ---------   ---------------------------------------------
    I2C0 SCL    GPIO22      SCL
    I2C0 SDA    GPIO21      SDA   (400 kHz, OLED at address 0x3C)
    3V3 / GND               VCC / GND
    button      GPIO0       the BOOT button: to GND when pressed, so input
                            with pull-up, active low (value() == 0)
    led         none
"""

import sys

from machine import I2C, Pin

from devflow.drivers.ssd1306 import SSD1306_I2C

# The board is this module: its names below and the parts make_board adds
# (a Board class would stay in the heap for the board's whole life, for
# what plain names say as well).
name = "esp32-ssd1306"
button_active = 0   # BOOT pulls GPIO0 low
led = None


def make_board():
    board = sys.modules[__name__]
    i2c = I2C(0, scl=Pin(22), sda=Pin(21), freq=400000)
    board.display = SSD1306_I2C(128, 64, i2c, addr=0x3C)
    board.button = Pin(0, Pin.IN, Pin.PULL_UP)
    return board
