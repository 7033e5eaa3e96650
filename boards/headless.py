"""Any ESP32 board with no display: the code goes out on the serial port.

    signal      ESP32 pin   part
    ---------   ---------   ---------------------------------------------
    display     none        the app prints `devflow: pairing_code ...` and
                            `devflow: screen ...` lines (115200 baud)
    button      GPIO0       the BOOT button: to GND, pull-up, active low
    led         GPIO2       the on-board LED of most dev boards
"""

from machine import Pin


class Board:
    name = "headless"
    colour = False
    button_active = 0
    display = None

    def __init__(self):
        self.button = Pin(0, Pin.IN, Pin.PULL_UP)
        self.led = Pin(2, Pin.OUT, value=0)


def make_board():
    return Board()
