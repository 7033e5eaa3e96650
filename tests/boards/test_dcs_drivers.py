"""The ST7789 and ILI9342C drivers at the bus level: the bytes on SPI, the
same bytes from the real MicroPython, and the emulated controllers turning
them into the picture the framebuffer holds - or a wrong one when a driver
command is wrong."""

import os

import pytest

from host_tools.emulator.ili9342c_chip import ILI9342CChip, m5stack_glass
from host_tools.emulator.st7789_chip import ST7789Chip, tdisplay_glass

import dcs_support as ds

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _chip(panel):
    if panel == "st7789":
        return ST7789Chip(tdisplay_glass(backlight_pin=ds.PINS["bl"]), rst_pin=ds.PINS["rst"])
    return ILI9342CChip(m5stack_glass(backlight_pin=ds.PINS["bl"]), rst_pin=ds.PINS["rst"])


def _rgb(c565):
    from PIL import Image
    return Image.frombytes("RGB", (1, 1), bytes((c565 & 0xFF, c565 >> 8)), "raw", "BGR;16").getpixel((0, 0))


def _expected(fb):
    """The picture the driver's frame and palette mean."""
    from PIL import Image
    colours = [_rgb(c) for c in fb.palette]
    img = Image.new("RGB", (fb.width, fb.height))
    img.putdata([colours[fb.pixel(x, y)] for y in range(fb.height) for x in range(fb.width)])
    return img


def test_st7789_init_and_window_on_the_wire(emu_machine):
    chip = _chip("st7789")
    ds.build_panel("st7789", chip=chip)
    cmds = [c for c, _ in chip.log]
    # Datasheet order: reset, wake, format, orientation, inversion, on last.
    assert cmds[:2] == [0x01, 0x11]
    assert cmds.index(0x3A) < cmds.index(0x2C) < cmds.index(0x29)
    args = dict(chip.log)
    assert args[0x3A] == b"\x55" and args[0x36] == b"\x60"
    assert 0x21 in cmds and 0x20 not in cmds
    # Landscape window inside the 240x320 RAM: columns 40..279, rows 53..187.
    assert args[0x2A] == bytes((0, 40, 1, 23)) and args[0x2B] == bytes((0, 53, 0, 187))
    assert chip.unknown_commands == []


def test_pixels_go_out_big_endian(emu_machine):
    rec = ds.Recorder()
    fb = ds.build_panel("st7789", recorder=rec, fmt=2)   # GS4_HMSB: 16 colours
    fb.set_palette((0x0000, 0xF800, 0x07E0, 0x001F))
    rec.writes.clear()
    fb.fill(0)
    fb.pixel(0, 0, 1)
    fb.pixel(1, 0, 3)
    fb.show()
    ramwr = [i for i, (dc, d) in enumerate(rec.writes) if dc == 0 and d == b"\x2c"][0]
    pixels = b"".join(d for dc, d in rec.writes[ramwr + 1:] if dc == 1)
    assert len(pixels) == 240 * 135 * 2
    assert pixels[:6] == b"\xf8\x00\x00\x1f\x00\x00"   # red, blue, black as the wire wants


@pytest.mark.parametrize("panel", ["st7789", "ili9342c"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_programs_reach_the_glass_exactly(emu_machine, panel, seed):
    chip = _chip(panel)
    fb = ds.build_panel(panel, chip=chip)
    ds.run_ops(fb, ds.program(seed))
    assert chip.panel_image().tobytes() == _expected(fb).tobytes()


@pytest.mark.parametrize("panel", ["st7789", "ili9342c"])
def test_real_micropython_sends_the_same_bytes(emu_machine, mp_run, tmp_path, panel):
    ops = ds.program(7)
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "machine.py").write_text(ds.FAKE_MACHINE)
    out = mp_run(ds.micropython_source(panel, ops), [str(fake), os.path.join(REPO, "agent")])
    rec = ds.Recorder()
    fb = ds.build_panel(panel, recorder=rec)
    rec.writes.clear()
    ds.run_ops(fb, ops)
    assert out.encode() == rec.stream()


# Each wrong driver (an init command dropped or altered) against the glass.
WRONG = {
    "no COLMOD (18-bit pixels)": ("st7789", lambda seq: [s for s in seq if s[0] != 0x3A], {}),
    "no INVON on IPS glass": ("st7789", lambda seq: seq, {"invert": False}),
    "MADCTL without MX": ("st7789", lambda seq: seq, {"madctl": 0x20}),
    "RAM offset 52 in landscape": ("st7789", lambda seq: seq, {"y_offset": 52}),
    "no SLPOUT": ("st7789", lambda seq: [s for s in seq if s[0] != 0x11], {}),
    "RGB order on BGR glass": ("ili9342c", lambda seq: seq, {"madctl": 0x00,
                                                              "palette": (0x0000, 0xF800)}),
    "MY on the ILI9342C": ("ili9342c", lambda seq: seq, {"madctl": 0x88}),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_a_wrong_driver_command_shows_a_wrong_picture(emu_machine, monkeypatch, name):
    import importlib
    panel, edit, overrides = WRONG[name]
    mod, cls = ds.PANELS[panel][:2]
    driver = getattr(importlib.import_module("devflow.drivers." + mod), cls)
    original = driver.init_sequence
    monkeypatch.setattr(driver, "init_sequence", lambda self: edit(list(original(self))))
    chip = _chip(panel)
    fb = ds.build_panel(panel, chip=chip, **overrides)
    ds.run_ops(fb, ds.program(11))
    assert chip.panel_image().tobytes() != _expected(fb).tobytes()


def test_the_right_driver_with_the_same_program_is_exact(emu_machine):
    chip = _chip("st7789")
    fb = ds.build_panel("st7789", chip=chip)
    ds.run_ops(fb, ds.program(11))
    assert chip.panel_image().tobytes() == _expected(fb).tobytes()


def test_backlight_off_is_a_dark_panel(emu_machine):
    chip = _chip("ili9342c")
    fb = ds.build_panel("ili9342c", chip=chip)
    fb.fill(1)
    fb.show()
    assert chip.panel_image().getextrema() == ((255, 255),) * 3
    fb.backlight(False)
    assert chip.panel_image().getextrema() == ((0, 0),) * 3
