"""The boards the emulator can play, and how to see their panels.

Each entry names the board file in boards/ (run unchanged), the chips to
attach on its emulated buses before it boots, and how to read the glass:
from the controller's memory where there is a controller, so a driver bug
shows as a wrong picture.
"""

from host_tools.emulator import machine
from host_tools.emulator.screen import PanelImage, to_pil


class EmulatedBoard:
    def __init__(self, name, module, attach, read_panel, png_scale, terminal,
                 button_pin=0, buttons=None, pulled_up=()):
        self.name = name
        self.module = module          # file name in boards/
        self.attach = attach          # () -> chip state, before the board boots
        self.read_panel = read_panel  # (chips, board) -> PIL image at 1:1, or None (headless)
        self.png_scale = png_scale
        self.terminal = terminal      # small mono panels draw in the terminal
        self.button_pin = button_pin  # the app's button (board.button)
        # Every button a person can press, as labelled on the case: {label: pin}.
        self.buttons = buttons or {"BOOT": button_pin}
        # Pins held high by resistors on the PCB (ESP32 GPIO34-39 have no
        # internal pull-up): a released button reads 1 there, not 0.
        self.pulled_up = tuple(pulled_up)

    def power_on(self):
        """Attach the chips and set the PCB's pull-ups; returns the chip."""
        for pin in self.pulled_up:
            machine.drive_pin(pin, 1)
        return self.attach()

    def release_button(self, pin):
        if pin in self.pulled_up:
            machine.drive_pin(pin, 1)
        else:
            machine.release_pin(pin)


def _attach_ssd1306():
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    chip = SSD1306Chip(128, 64)
    machine.attach_i2c_device(0, 0x3C, chip)
    return chip


def _read_ssd1306(chip, board):
    return to_pil(chip.panel_pixels(), scale=1)


def panel_image(chip, board):
    """The mono panel as a PanelImage (for the terminal view)."""
    return chip.panel_pixels()


def _read_rgb565(chip, board):
    from PIL import Image
    panel = board.display
    buf = panel.buffer
    w, h = panel.width, panel.height
    pixels = []
    for i in range(0, w * h * 2, 2):
        v = buf[i] | (buf[i + 1] << 8)   # framebuf stores RGB565 little-endian
        pixels.append((((v >> 11) & 0x1F) * 255 // 31, ((v >> 5) & 0x3F) * 255 // 63,
                       (v & 0x1F) * 255 // 31))
    img = Image.new("RGB", (w, h))
    img.putdata(pixels)
    return img


def _attach_tdisplay():
    from host_tools.emulator.st7789_chip import ST7789Chip, tdisplay_glass
    chip = ST7789Chip(tdisplay_glass(backlight_pin=4), rst_pin=23)
    machine.attach_spi_device(1, chip, cs=5, dc=16)
    return chip


def _attach_m5stack():
    from host_tools.emulator.ili9342c_chip import ILI9342CChip, m5stack_glass
    chip = ILI9342CChip(m5stack_glass(backlight_pin=32), rst_pin=33)
    machine.attach_spi_device(2, chip, cs=14, dc=27)
    return chip


def _read_dcs(chip, board):
    # From the controller's RAM and registers, never the driver's frame.
    return chip.panel_image()


BOARDS = {
    "esp32-ssd1306": EmulatedBoard("esp32-ssd1306", "esp32_ssd1306", _attach_ssd1306,
                                   _read_ssd1306, 4, True),
    "pico-w-ssd1306": EmulatedBoard("pico-w-ssd1306", "pico_w_ssd1306", _attach_ssd1306,
                                    _read_ssd1306, 4, True, button_pin=15,
                                    buttons={"GP15": 15}),
    "ttgo-tdisplay": EmulatedBoard("ttgo-tdisplay", "ttgo_tdisplay", _attach_tdisplay,
                                   _read_dcs, 3, False, button_pin=0,
                                   buttons={"BOOT (GPIO0)": 0, "GPIO35": 35}, pulled_up=(35,)),
    "m5stack-core": EmulatedBoard("m5stack-core", "m5stack_core", _attach_m5stack,
                                  _read_dcs, 2, False, button_pin=39,
                                  buttons={"A": 39, "B": 38, "C": 37}, pulled_up=(39, 38, 37)),
    "headless": EmulatedBoard("headless", "headless", lambda: None,
                              lambda chip, board: None, 1, False),
    "tv": EmulatedBoard("tv", "tv", lambda: None, _read_rgb565, 2, False,
                        buttons={"OK": 0, "Back": 14}),
}


def board_names():
    return sorted(BOARDS)


__all__ = ["BOARDS", "EmulatedBoard", "PanelImage", "board_names", "panel_image"]
