"""An emulated ILI9342C: 320x240 RAM (the landscape ILI9341), the MIPI DCS
command set (see _dcs_chip) plus ILI's extended commands, accepted and
recorded.

    chip = ILI9342CChip(m5stack_glass(), rst_pin=33)
    machine.attach_spi_device(2, chip, cs=14, dc=27)
"""

from host_tools.emulator._dcs_chip import DcsChip, Glass

# ILI9342C datasheet 8.3: SETEXTC, power, VCOM, frame rate, interface,
# display function, gamma, ...
_EXTENDED_COMMANDS = (0xB0, 0xB1, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xC0, 0xC1, 0xC5, 0xC7,
                      0xC8, 0xE0, 0xE1, 0xE2, 0xE3, 0xF2, 0xF6, 0x26, 0x30, 0x33, 0x35,
                      0x37, 0x44, 0x51, 0x53)


class ILI9342CChip(DcsChip):
    ram_width, ram_height = 320, 240
    vendor_commands = _EXTENDED_COMMANDS


def m5stack_glass(backlight_pin=32):
    """M5Stack Core: 320x240 IPS covering the whole RAM, wired BGR, needs
    INVON; RAM row 0 is the top edge as the case is held (buttons below)."""
    return Glass(320, 240, 0, 0, bgr=True, needs_inversion=True,
                 backlight_pin=backlight_pin, held_rotation=0)
