"""The virtual board as frozen (agent_board.build_agent_romfs): the agent's
package and app.mpy, and the board's own `machine`, run from the ROMFS
image; main.py and board.mpy from the flash."""

import os
import subprocess

from host_tools.serial.agent_board import build_agent_romfs, install_agent
from host_tools.serial.supervisor import _BOOT_SHIM

from .conftest import needs_micropython

MAIN = """import sys, machine, app, board
print(machine.__file__, app.__file__, board.__file__, sys.path)
i2c = machine.I2C(0, scl=machine.Pin(22), sda=machine.Pin(21), freq=400000)
print(machine.Pin(0, machine.Pin.IN, machine.Pin.PULL_UP).value(), i2c.writevto(0x3C, (b"ab", b"c")))
"""


@needs_micropython
def test_machine_and_the_agent_come_from_the_image(micropython, tmp_path):
    config = tmp_path / "devflow.json"
    config.write_text("{}")
    flash, periph = tmp_path / "flash", tmp_path / "periph"
    install_agent(str(flash), "esp32-ssd1306", str(config))
    image = build_agent_romfs(str(flash), str(periph / "agent.romfs"))
    (flash / "main.py").write_text(MAIN)
    env = dict(os.environ, DEVFLOW_VB_FLASH=str(flash), DEVFLOW_VB_EXTRA="", DEVFLOW_VB_BOOT="normal",
               DEVFLOW_VB_PERIPH=str(periph), DEVFLOW_VB_ROMFS=image, DEVFLOW_VB_ROMFS_PAD="0")
    env.pop("MICROPYPATH", None)
    done = subprocess.run([micropython, _BOOT_SHIM], cwd=flash, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.splitlines() == [
        "/rom/vboard/machine.mpy /rom/app.mpy board.mpy ['', '.frozen', '/rom', '/rom/lib', '/lib']",
        "1 3"]
    # The bus's record reached the host: address, length, the bytes.
    assert (periph / "i2c.bin").read_bytes() == b"\x3c\x00\x00\x03abc"
    assert not (flash / "devflow").exists() and not (flash / "app.mpy").exists()
