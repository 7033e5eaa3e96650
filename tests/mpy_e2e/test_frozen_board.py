"""The virtual board as frozen (agent_board.build_agent_romfs): the agent's
package and app.mpy, and the board's own `machine`, run from the ROMFS
image; main.py and board.mpy from the flash."""

from host_tools.serial.agent_board import build_agent_romfs, install_agent, names_held_bytes, run_shim

from .conftest import needs_micropython

MAIN = """import sys, machine, app, board
print(machine.__file__, app.__file__, board.__file__, sys.path)
i2c = machine.I2C(0, scl=machine.Pin(22), sda=machine.Pin(21), freq=400000)
print(machine.Pin(0, machine.Pin.IN, machine.Pin.PULL_UP).value(), i2c.writevto(0x3C, (b"ab", b"c")))
"""


def frozen_board(tmp_path, main, names_in_flash=False):
    # The esp32-ssd1306 agent installed in tmp_path/flash, moved into a
    # ROMFS image, main.py replaced by `main`. -> (flash, image)
    tmp_path.mkdir(exist_ok=True)
    config = tmp_path / "devflow.json"
    config.write_text("{}")
    flash = tmp_path / "flash"
    install_agent(str(flash), "esp32-ssd1306", str(config))
    image = build_agent_romfs(str(flash), str(tmp_path / "agent.romfs"), names_in_flash=names_in_flash)
    (flash / "main.py").write_text(main)
    return flash, image


@needs_micropython
def test_machine_and_the_agent_come_from_the_image(micropython, tmp_path):
    flash, image = frozen_board(tmp_path, MAIN)
    periph = tmp_path / "periph"
    periph.mkdir()
    done = run_shim(str(flash), image, peripherals=str(periph))
    assert done.returncode == 0, done.stderr + done.stdout
    assert done.stdout.splitlines() == [
        "/rom/vboard/machine.mpy /rom/app.mpy board.mpy ['', '.frozen', '/rom', '/rom/lib', '/lib']",
        "1 3"]
    # The bus's record reached the host: address, length, the bytes.
    assert (periph / "i2c.bin").read_bytes() == b"\x3c\x00\x00\x03abc"
    assert not (flash / "devflow").exists() and not (flash / "app.mpy").exists()


COUNT_NAMES = """import micropython
micropython.qstr_info()
import app
from devflow.core import flow, session
from devflow.adapters import http, display
micropython.qstr_info()
"""


def names_added_by_the_agent(micropython, tmp_path, names_in_flash):
    flash, image = frozen_board(tmp_path, COUNT_NAMES, names_in_flash)
    done = run_shim(str(flash), image)
    assert done.returncode == 0, done.stderr + done.stdout
    counts = [int(line.split("n_qstr=")[1].split(",")[0]) for line in done.stdout.splitlines()
              if line.startswith("qstr pool:")]
    return counts[1] - counts[0], image


@needs_micropython
def test_as_frozen_firmware_the_agents_names_are_in_before_it(micropython, tmp_path):
    # names_in_flash: boot.py has interned every name the agent's modules
    # bring (their tables, paths and dotted names), so importing them adds
    # none; from a plain image the same imports add hundreds.
    added, image = names_added_by_the_agent(micropython, tmp_path / "firmware", True)
    assert added == 0
    assert names_held_bytes(image) > 4096  # the names' pools, taken out of the heap budget
    plain, _ = names_added_by_the_agent(micropython, tmp_path / "romfs", False)
    assert plain > 300
    # The names' boot.py goes with the next install (anyone else's stays).
    install_agent(str(tmp_path / "firmware" / "flash"), "esp32-ssd1306", str(tmp_path / "firmware" / "devflow.json"))
    assert not (tmp_path / "firmware" / "flash" / "boot.py").exists()
