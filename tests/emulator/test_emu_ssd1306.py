"""SSD1306 driver on the wire, and driver + emulated chip together."""

import random

import pytest

import emu_support  # noqa: F401  (puts repo and agent/ on sys.path)


class RecordingI2C:
    """A test bus: two I2C methods that remember every transfer."""

    def __init__(self):
        self.transfers = []

    def writeto(self, addr, buf, stop=True):
        self.transfers.append((addr, bytes(buf)))

    def writevto(self, addr, vector, stop=True):
        self.transfers.append((addr, b"".join(bytes(b) for b in vector)))


def write_cmd(display, *cmd):
    # Commands as a caller sends them: one transfer, control byte 0x00.
    display.i2c.writeto(display.addr, bytes((0x00,) + cmd))


@pytest.fixture
def display_on_chip(emu_machine):
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    from devflow.drivers.ssd1306 import SSD1306_I2C
    chip = emu_machine.attach_i2c_device(0, 0x3C, SSD1306Chip(128, 64))
    i2c = emu_machine.I2C(0, scl=emu_machine.Pin(22), sda=emu_machine.Pin(21))
    return SSD1306_I2C(128, 64, i2c), chip


def _framebuffer_image(fb):
    from host_tools.emulator.screen import PanelImage
    return PanelImage.from_framebuffer(fb)


INIT_128x64 = [
    0xAE, 0xD5, 0x80, 0xA8, 63, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00,
    0xA1, 0xC8, 0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x30, 0xA4, 0xA6,
    0x2E, 0xAF,
]


WINDOW_128x64 = [0x21, 0, 127, 0x22, 0, 7]


def test_init_and_show_bytes_on_the_wire(emu_machine):
    from devflow.drivers.ssd1306 import SSD1306_I2C
    bus = RecordingI2C()
    SSD1306_I2C(128, 64, bus)
    # Every command in one transfer: control byte 0x00 (Co=0, D/C#=0), then
    # the whole sequence, the frame's window last.
    assert bus.transfers[0] == (0x3C, bytes([0x00] + INIT_128x64 + WINDOW_128x64))
    # show(): the window again, then one data transfer: 0x40 then the whole
    # 1 KB buffer.
    assert bus.transfers[1:] == [(0x3C, bytes([0x00] + WINDOW_128x64)), (0x3C, b"\x40" + bytes(1024))]


def test_128x32_uses_its_own_mux_com_pins_and_window(emu_machine):
    from devflow.drivers.ssd1306 import SSD1306_I2C
    bus = RecordingI2C()
    SSD1306_I2C(128, 32, bus)
    sent = list(bus.transfers[0][1])
    assert sent[sent.index(0xA8) + 1] == 31 and sent[sent.index(0xDA) + 1] == 0x02
    assert bus.transfers[-2][1] == bytes([0x00, 0x21, 0, 127, 0x22, 0, 3])
    assert bus.transfers[-1][1] == b"\x40" + bytes(512)


def test_narrow_panel_sits_in_the_middle_of_the_gddram(emu_machine):
    from devflow.drivers.ssd1306 import SSD1306_I2C
    bus = RecordingI2C()
    SSD1306_I2C(64, 48, bus)
    assert bus.transfers[-2][1] == bytes([0x00, 0x21, 32, 95, 0x22, 0, 5])
    assert bus.transfers[-1][1] == b"\x40" + bytes(64 * 6)


def test_external_vcc_turns_the_charge_pump_off(emu_machine):
    from devflow.drivers.ssd1306 import SSD1306_I2C
    bus = RecordingI2C()
    SSD1306_I2C(128, 64, bus, external_vcc=True)
    sent = list(bus.transfers[0][1])
    assert sent[sent.index(0x8D) + 1] == 0x10
    assert sent[sent.index(0x81) + 1] == 0x9F and sent[sent.index(0xD9) + 1] == 0x22


def test_chip_shows_what_the_framebuffer_holds(display_on_chip):
    display, chip = display_on_chip
    rng = random.Random(7)
    for _ in range(5):
        display.fill(0)
        display.text("devflow %d" % rng.randrange(1000), rng.randint(-4, 60), rng.randint(-4, 56))
        display.ellipse(rng.randint(0, 127), rng.randint(0, 63), 20, 9, 1, rng.random() < 0.5)
        display.line(0, 63, 127, rng.randint(0, 63), 1)
        display.show()
        assert chip.panel_pixels() == _framebuffer_image(display)
        assert any(chip.panel_pixels().pixels)


def test_128x32_module_on_emulated_chip(emu_machine):
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    from devflow.drivers.ssd1306 import SSD1306_I2C
    chip = emu_machine.attach_i2c_device(1, 0x3D, SSD1306Chip(128, 32))
    display = SSD1306_I2C(128, 32, emu_machine.I2C(1), addr=0x3D)
    display.text("32 rows", 3, 20)
    display.rect(0, 0, 128, 32, 1)
    display.show()
    assert chip.panel_pixels() == _framebuffer_image(display)


def test_contrast_invert_power_change_the_picture(display_on_chip):
    # The driver has no methods for these (the agent never calls them):
    # the datasheet's commands are transfers on its bus.
    display, chip = display_on_chip
    display.fill_rect(0, 0, 64, 64, 1)
    display.show()
    normal = chip.panel_pixels()
    write_cmd(display, 0xA7)   # inverse display
    inverted = chip.panel_pixels()
    assert inverted.pixels == bytes(1 - p for p in normal.pixels)
    write_cmd(display, 0xA6)   # normal display
    assert chip.panel_pixels() == normal
    write_cmd(display, 0x81, 0)     # contrast, + 1 byte
    dim = max(chip.panel_levels().pixels)
    write_cmd(display, 0x81, 255)
    assert 0 < dim < max(chip.panel_levels().pixels) == 255
    write_cmd(display, 0xAE)   # display off
    assert not any(chip.panel_pixels().pixels)
    write_cmd(display, 0xAF)   # display on
    assert chip.panel_pixels() == normal


def test_rotate_turns_the_picture_half_way(display_on_chip):
    display, chip = display_on_chip
    display.text("up", 0, 0)
    display.show()
    upright = chip.panel_pixels()
    # COM scan from COM0 and segment remap off: both mirrors undone.
    write_cmd(display, 0xC0)
    write_cmd(display, 0xA0)
    turned = chip.panel_pixels()
    assert turned.pixels == upright.pixels[::-1]


def test_wrong_column_window_shows_a_wrong_picture(display_on_chip):
    display, chip = display_on_chip
    display.text("window", 10, 10)
    display.show()
    good = chip.panel_pixels()
    # A driver bug: the column window starts at 4, so each page takes only
    # 124 bytes and the picture drifts right and down, wrapping at the end.
    write_cmd(display, 0x21, 4, 127, 0x22, 0, 7)
    display.i2c.writevto(0x3C, (b"\x40", display.buffer))
    bad = chip.panel_pixels()
    assert bad != good
    # The datasheet's horizontal-mode pointer rule, applied by hand.
    ram = bytearray(display.buffer)
    for k, b in enumerate(display.buffer):
        ram[(k // 124) % 8 * 128 + 4 + k % 124] = b
    expected = bytes((ram[(y >> 3) * 128 + x] >> (y & 7)) & 1 for y in range(64) for x in range(128))
    assert bad.pixels == expected


def test_missing_charge_pump_leaves_the_glass_dark(emu_machine):
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    chip = SSD1306Chip()
    # Display on, but the 8D 14 (charge pump on) step was forgotten.
    chip.i2c_write(bytes([0x00, 0x20, 0x00, 0xA1, 0xC8, 0xAF]))
    chip.i2c_write(b"\x40" + b"\xff" * 1024)
    assert not any(chip.panel_pixels().pixels)
    chip.i2c_write(bytes([0x80, 0x8D, 0x80, 0x14]))
    assert all(chip.panel_pixels().pixels)


def test_page_addressing_mode_and_spi_route(emu_machine):
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    chip = SSD1306Chip()
    cs, dc = emu_machine.Pin(5, emu_machine.Pin.OUT, value=1), emu_machine.Pin(16, emu_machine.Pin.OUT)
    emu_machine.attach_spi_device(2, chip, cs=cs, dc=dc)
    spi = emu_machine.SPI(2)
    cs(0)
    dc(0)
    spi.write(bytes([0x8D, 0x14, 0xA1, 0xC8, 0xAF, 0xB3, 0x05, 0x11]))  # page 3, column 0x15
    dc(1)
    spi.write(b"\xff\x01")
    cs(1)
    spi.write(b"\xff")              # not selected: ignored
    image = chip.panel_pixels()
    lit = {(i % 128, i // 128) for i, p in enumerate(image.pixels) if p}
    # 0xFF fills column 0x15 of page 3 (rows 24..31); 0x01 is the top pixel
    # of the next column.
    assert lit == {(0x15, y) for y in range(24, 32)} | {(0x16, 24)}
