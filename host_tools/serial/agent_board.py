"""The agent on the virtual board: `virtual-board --agent`.

install_agent() writes what `deploy` would put on a board (build.plan and
mpy-cross, so the same .mpy files and layout) straight into the flash
folder, which is the board's `/`: no serial round trips, so a test boots in
well under a second. `deploy` itself is tested over the pty in
tests/serial; this is the fast path for running the agent.

The board's peripherals (Pin, an I2C whose SSD1306 stream is recorded) come
from vboard_lib/, loaded by the boot shim before the flash is mounted and
never copied into it: a real board has them in its firmware.

With frozen=True (off by default) the agent's compiled package (devflow/)
and app.mpy leave the flash folder for a ROMFS image that the board mounts
at /rom at boot, so their bytecode runs in place as frozen code does;
main.py, board.py and the config stay in the flash. bench/agent_bench.py
measures the heap that way. The image also holds the virtual board's own
`machine` (vboard_lib/machine.py compiled, at /rom/vboard, off sys.path),
which the boot shim then imports from the image: a real board's machine
runs from ROM, so as frozen its bytecode should not be in the heap either.
"""

import os
import shutil
import subprocess
import tempfile

from .build import FilePlan, compile_all, plan
from .errors import ToolError
from .panel import PanelReader
from .supervisor import I2C_STREAM
from .tools import find_program
from .virtual_board import VirtualBoard

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AGENT_DIR = os.path.join(ROOT, "agent")
BOARDS_DIR = os.path.join(ROOT, "boards")
CONFIG_NAME = "devflow.json"
ROMFS_NAME = "agent.romfs"  # in the peripherals folder: a board's romfs partition is not in its filesystem
FROZEN = ("devflow", "app.mpy")  # what frozen=True moves from the flash into the image
GC_BLOCK = 32  # bytes per GC block on the 64-bit unix port (4 words; 16 B on a 32-bit board)
VBOARD_LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vboard_lib")
BOARD_NAMES = {"headless": "headless", "esp32-ssd1306": "esp32_ssd1306", "pico-w-ssd1306": "pico_w_ssd1306"}


def install_agent(flash_dir, board="headless", config=None, agent_dir=AGENT_DIR, boards_dir=BOARDS_DIR,
                  source=False):
    """Put the agent, boards/<board>.py as /board and (if given) the config
    file into flash_dir. Keeps the token file: a redeploy is not an unpair."""
    name = BOARD_NAMES.get(board, board)
    files = plan(agent_dir, boards_dir, name, compile=not source)
    os.makedirs(flash_dir, exist_ok=True)
    # What a previous deploy left that the new one would not overwrite
    # (app.py hiding app.mpy, a removed module) must go, as deploy does.
    shutil.rmtree(os.path.join(flash_dir, "devflow"), ignore_errors=True)
    for stale in ("app.py", "app.mpy", "board.py", "board.mpy", "main.py"):
        path = os.path.join(flash_dir, stale)
        if os.path.exists(path):
            os.remove(path)
    with tempfile.TemporaryDirectory(prefix="devflow-vb-") as tmp:
        staged = compile_all(files, tmp)
        for remote, local in staged.items():
            dest = os.path.join(flash_dir, remote.lstrip("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(local, dest)
    if config is not None:
        shutil.copyfile(config, os.path.join(flash_dir, CONFIG_NAME))
    elif not os.path.exists(os.path.join(flash_dir, CONFIG_NAME)):
        raise ToolError(f"no {CONFIG_NAME} in {flash_dir}: give --config FILE")
    return sorted(staged)


def build_agent_romfs(flash_dir, image):
    """Move the agent's package and app.mpy out of flash_dir into the ROMFS
    image `image` (mpremote romfs --no-mpy build: the .mpy files as they are),
    with the virtual board's machine.mpy in /vboard (vboard_setup.py)."""
    with tempfile.TemporaryDirectory(prefix="devflow-romsrc-") as src:
        compile_all([FilePlan(os.path.join(VBOARD_LIB, "machine.py"), "/vboard/machine.mpy", True)], src)
        for name in FROZEN:
            path = os.path.join(flash_dir, name)
            if not os.path.exists(path):
                raise ToolError(f"nothing to freeze: no {name} in {flash_dir}")
            shutil.move(path, os.path.join(src, name))
        os.makedirs(os.path.dirname(os.path.abspath(image)), exist_ok=True)
        subprocess.run([find_program("mpremote"), "romfs", "--no-mpy", "-o", image, "build", src],
                       check=True, capture_output=True, timeout=60)
    return image


def image_held_bytes(image_bytes, pad=0):
    """The heap blocks the boot shim's copy of a ROMFS image holds (the
    unix port cannot map the image from outside its heap, as a board maps
    its romfs partition): the data, `pad` spare bytes, and the bytearray and
    memoryview objects (vboard_setup.py)."""
    return -(-(image_bytes + pad) // GC_BLOCK) * GC_BLOCK + 2 * GC_BLOCK


def image_heapsize(image_bytes, pad=0):
    """What that copy costs in -X heapsize: its blocks, plus the collector's
    tables for them (2 allocation bits and 1 finaliser bit per block).
    bench/agent_bench.py measures the same rate on the port itself."""
    held = image_held_bytes(image_bytes, pad)
    return held + -(-held * 3 // (8 * GC_BLOCK))


def _heap_bytes(heapsize):
    # -X heapsize's syntax: bytes, or a number with k or m.
    text = str(heapsize).lower()
    scale = {"k": 1024, "m": 1024 * 1024}.get(text[-1:], 1)
    return int(text[:-1] if scale > 1 else text) * scale


class AgentBoard:
    """A VirtualBoard running the agent, with its panel readable as an image.

        with AgentBoard(flash, periph, board="esp32-ssd1306", config=cfg) as vb:
            vb.board.wait_for(b"devflow: pairing_code")
            vb.panel.save_png("screen.png")
    """

    def __init__(self, flash_dir, peripherals, board="headless", config=None, heapsize=None, source=False,
                 tcp_port=0, main=None, frozen=False, romfs_pad=0, heap_excludes_image=False):
        # heap_excludes_image (with frozen and a heapsize): the heapsize is
        # the agent's, and the image's own copy (image_heapsize) is added to
        # it, so a budget means the same as on a board that maps the image.
        self.files = install_agent(flash_dir, board, config, source=source)
        if main is not None:
            # A different entry point (the bench's probes) on the same flash.
            shutil.copyfile(main, os.path.join(flash_dir, "main.py"))
        self.romfs = None
        if frozen:
            self.romfs = build_agent_romfs(flash_dir, os.path.join(peripherals, ROMFS_NAME))
            if heapsize and heap_excludes_image:
                heapsize = _heap_bytes(heapsize) + image_heapsize(os.path.getsize(self.romfs), romfs_pad)
        self.board = VirtualBoard(flash_dir, heapsize=heapsize, peripherals=peripherals, tcp_port=tcp_port,
                                  romfs=self.romfs, romfs_pad=romfs_pad)
        self.panel = PanelReader(os.path.join(self.board.peripherals, I2C_STREAM))

    def start(self):
        self.board.start()
        return self

    def stop(self):
        self.board.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
