"""What the panel should show, computed from the driver's own framebuffer
(the other side of the comparison with the controller's memory)."""

from host_tools.emulator.screen import LIT_RGB


def expected_panel(board_name, board):
    from PIL import Image
    fb = board.display
    w, h = fb.width, fb.height
    if board_name == "tv":
        # A RAM-scanned panel: its frame buffer is the glass.
        from host_tools.emulator.boards import _read_rgb565
        return _read_rgb565(None, board)
    if board_name in ("esp32-ssd1306", "pico-w-ssd1306"):
        colours = {0: (0, 0, 0), 1: LIT_RGB}
    else:
        # Indexed TFT frame, default palette: 0 black, 1 white (RGB565
        # white is 0xFFFF -> 255, 255, 255).
        colours = {0: (0, 0, 0), 1: (255, 255, 255)}
    img = Image.new("RGB", (w, h))
    img.putdata([colours[fb.pixel(x, y)] for y in range(h) for x in range(w)])
    return img
