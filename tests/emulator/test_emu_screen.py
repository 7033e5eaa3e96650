"""Rendering panel images: half-block text and PNG."""

import emu_support  # noqa: F401  (puts repo and agent/ on sys.path)
from host_tools.emulator.screen import PanelImage, save_png_if_changed, to_text

# 6x3: a diagonal, a full column and a lone bottom pixel on an odd height.
PATTERN = PanelImage(6, 3, bytes([
    1, 0, 0, 0, 1, 0,
    0, 1, 0, 0, 1, 0,
    0, 0, 1, 0, 1, 1,
]))

GOLDEN = (
    "┌──────┐\n"
    "│▀▄  █ │\n"
    "│  ▀ ▀▀│\n"
    "└──────┘"
)


def test_half_block_text_matches_golden():
    assert to_text(PATTERN) == GOLDEN


def test_png_has_the_panel_aspect_and_is_written_only_on_change(tmp_path):
    from PIL import Image
    path = str(tmp_path / "screen.png")
    image = PanelImage(128, 64, bytes((x ^ y) & 1 for y in range(64) for x in range(128)))
    assert save_png_if_changed(path, image)
    with Image.open(path) as png:
        assert png.size == (512, 256)               # x4, still 2:1
        assert png.getpixel((0, 0)) == (0, 0, 0)
        assert png.getpixel((4, 0)) != (0, 0, 0)    # pixel-crisp 4x4 blocks
        assert png.getpixel((7, 3)) == png.getpixel((4, 0))
    assert not save_png_if_changed(path, image)
    assert save_png_if_changed(path, PanelImage(128, 64, bytes(128 * 64)))
