"""The shipped driver and board file are MicroPython code: they compile
with mpy-cross, and the driver runs under the real interpreter, sending the
same bytes there as it does on the emulator."""

import contextlib
import io
import os
import subprocess

import pytest

from emu_support import MPY_CROSS, REPO

SHIPPED = ["agent/devflow/drivers/ssd1306.py", "boards/esp32_ssd1306.py"]

# Runs inside MicroPython: a stub I2C bus records every transfer.
DRIVER_SCRIPT = """
from devflow.drivers.ssd1306 import SSD1306_I2C

class StubI2C:
    def __init__(self):
        self.log = []
    def writeto(self, addr, buf, stop=True):
        self.log.append((addr, bytes(buf)))
    def writevto(self, addr, vector, stop=True):
        self.log.append((addr, b''.join(bytes(b) for b in vector)))

bus = StubI2C()
d = SSD1306_I2C(128, 64, bus)
d.text('devflow', 0, 0)
d.ellipse(64, 40, 30, 12, 1, True)
bus.writeto(d.addr, b'\\x00\\x81\\x40\\xa7')
d.show()
for addr, data in bus.log:
    print(addr, ''.join('%02x' % b for b in data))
"""


@pytest.mark.parametrize("path", SHIPPED)
def test_compiles_with_mpy_cross(path, tmp_path):
    if not os.path.exists(MPY_CROSS):
        pytest.skip("mpy-cross not installed")
    out = subprocess.run([MPY_CROSS, "-o", str(tmp_path / "out.mpy"), os.path.join(REPO, path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_driver_runs_on_real_micropython_like_on_the_emulator(mp_run, emu_machine):
    real = mp_run(DRIVER_SCRIPT, path_dirs=[os.path.join(REPO, "agent")])
    scope = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(DRIVER_SCRIPT, scope)
    assert real.splitlines() == out.getvalue().splitlines()
    # Init, window + frame at construction; the commands; window + frame.
    assert len(real.splitlines()) == 6


def test_board_builds_on_the_emulator(emu_machine):
    from host_tools.emulator.ssd1306_chip import SSD1306Chip
    from boards import esp32_ssd1306
    chip = emu_machine.attach_i2c_device(0, 0x3C, SSD1306Chip())
    board = esp32_ssd1306.make_board()
    assert board.name == "esp32-ssd1306" and board.led is None
    assert board.button.value() != board.button_active   # pull-up: released
    emu_machine.drive_pin(0, 0)
    assert board.button.value() == board.button_active
    assert chip.display_on and not any(chip.panel_pixels().pixels)
