"""An emulated ST7789V: 240x320 RAM, the MIPI DCS command set (see
_dcs_chip) plus Sitronix's panel commands, accepted and recorded.

    chip = ST7789Chip(tdisplay_glass(), rst_pin=23)
    machine.attach_spi_device(1, chip, cs=5, dc=16)
    ... the board's driver draws and calls show() ...
    chip.panel_image()        # PIL image of the glass, as the board is held
"""

from host_tools.emulator._dcs_chip import DcsChip, Glass

# ST7789V datasheet 9.2: porch, gate, VCOM, power, frame rate, gamma, ...
_PANEL_COMMANDS = (0xB0, 0xB1, 0xB2, 0xB3, 0xB7, 0xBA, 0xBB, 0xC0, 0xC2, 0xC3, 0xC4,
                   0xC5, 0xC6, 0xCA, 0xD0, 0xD2, 0xDF, 0xE0, 0xE1, 0xE4, 0xE7, 0xE8,
                   0x26, 0x30, 0x33, 0x34, 0x35, 0x37, 0x44, 0x51, 0x53, 0x55)


class ST7789Chip(DcsChip):
    ram_width, ram_height = 240, 320
    vendor_commands = _PANEL_COMMANDS


def tdisplay_glass(backlight_pin=4):
    """LilyGO T-Display: 135x240 IPS at RAM columns 52.., rows 40..; RGB
    order; IPS needs INVON. Held in landscape with the buttons on the
    right, which turns the portrait glass a quarter turn anticlockwise."""
    return Glass(135, 240, 52, 40, bgr=False, needs_inversion=True,
                 backlight_pin=backlight_pin, held_rotation=90)
