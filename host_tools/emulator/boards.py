"""The boards the emulator can play, and how to see their panels.

Each entry names the board file in boards/ (run unchanged), the chips to
attach on its emulated buses before it boots, and how to read the glass:
from the controller's memory where there is a controller, so a driver bug
shows as a wrong picture.
"""

from host_tools.emulator import machine
from host_tools.emulator.screen import PanelImage, to_pil


class EmulatedBoard:
    def __init__(self, name, module, attach, read_panel, png_scale, terminal):
        self.name = name
        self.module = module          # file name in boards/
        self.attach = attach          # () -> chip state, before the board boots
        self.read_panel = read_panel  # (chips, board) -> PIL image at 1:1
        self.png_scale = png_scale
        self.terminal = terminal      # small mono panels draw in the terminal
        self.button_pin = 0


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


BOARDS = {
    "esp32-ssd1306": EmulatedBoard("esp32-ssd1306", "esp32_ssd1306", _attach_ssd1306,
                                   _read_ssd1306, 4, True),
    "tv": EmulatedBoard("tv", "tv", lambda: None, _read_rgb565, 2, False),
}


def board_names():
    return sorted(BOARDS)


__all__ = ["BOARDS", "EmulatedBoard", "PanelImage", "board_names", "panel_image"]
