"""flash: write MicroPython firmware to an ESP32 with esptool.

esptool is optional (`pip install esptool`): it runs as `python -m esptool`
with an argument list built here, so the list can be checked without a
board. The Pico W is flashed by copying a .uf2 to its BOOTSEL drive instead.
"""

import os
import subprocess
import sys

from .errors import ToolError

# Where MicroPython's firmware image starts, per chip (MicroPython's download page).
FLASH_OFFSETS = {
    "esp32": "0x1000",
    "esp32s2": "0x1000",
    "esp32s3": "0x0",
    "esp32c3": "0x0",
    "esp32c6": "0x0",
}


def esptool_commands(port, firmware, chip="esp32", baud=460800, erase=False, python=None):
    """The esptool runs, in order: an optional erase, then the write."""
    if chip not in FLASH_OFFSETS:
        raise ToolError(f"unknown chip {chip} (known: {', '.join(FLASH_OFFSETS)}); for a Pico W copy the .uf2 to its BOOTSEL drive")
    base = [python or sys.executable, "-m", "esptool", "--chip", chip, "--port", port, "--baud", str(baud)]
    runs = []
    if erase:
        runs.append(base + ["erase_flash"])
    runs.append(base + ["write_flash", "-z", FLASH_OFFSETS[chip], firmware])
    return runs


def flash(port, firmware, chip="esp32", baud=460800, erase=False, dry_run=False, out=print):
    if not os.path.isfile(firmware):
        raise ToolError(f"no firmware file {firmware}")
    if firmware.endswith(".uf2"):
        raise ToolError("a .uf2 is for the Pico W: hold BOOTSEL, plug it in and copy the file to the RPI-RP2 drive")
    runs = esptool_commands(port, firmware, chip, baud, erase)
    for cmd in runs:
        out(" ".join(cmd))
        if dry_run:
            continue
        try:
            done = subprocess.run(cmd, timeout=600)
        except subprocess.TimeoutExpired:
            raise ToolError("esptool did not finish within 10 minutes") from None
        except KeyboardInterrupt:
            raise ToolError("interrupted (the board may need flashing again)", status=130) from None
        if done.returncode != 0:
            if _missing_esptool(cmd[0]):
                raise ToolError("esptool is not installed: pip install esptool")
            raise ToolError(f"esptool failed (exit {done.returncode}): see its output above")
    return runs


def _missing_esptool(python):
    probe = subprocess.run([python, "-c", "import esptool"], capture_output=True, timeout=60)
    return probe.returncode != 0
