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

An image's .mpy files still intern their names in the heap as they load
(and their modules' names and paths), which frozen firmware keeps in
flash. With names_in_flash=True as well, the image also holds a module of
all those names (mpy_names.py), which the flash's boot.py imports and
drops before main.py runs, so they are in the heap before the agent; with
a heapsize and heap_excludes_image, their cost, measured on the boot shim
alone (names_heapsize), comes on top of the heapsize as the image's does.
That models a firmware build: the agent's heap is what frozen firmware
would leave it. (A boot.py, not the shim: a shim that changed would move
every other figure, since the heap's layout near its limit shifts with
any allocation at boot.)
"""

import os
import shutil
import subprocess
import tempfile

from .build import FilePlan, compile_all, plan
from .errors import ToolError
from .mpy_names import NAMES_MODULE, frozen_names, names_module
from .panel import PanelReader
from .supervisor import _BOOT_SHIM, I2C_STREAM, shim_env
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
    _remove_names_boot(flash_dir)
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


# The flash's boot.py as frozen firmware: the names in, the module out.
_NAMES_BOOT = f"""# As frozen firmware (host_tools/serial/agent_board.py, names_in_flash).
import sys
import {NAMES_MODULE}
del sys.modules["{NAMES_MODULE}"]
"""


def _remove_names_boot(flash_dir):
    # The names' boot.py of an earlier names_in_flash run (a boot.py of
    # anyone else's stays).
    path = os.path.join(flash_dir, "boot.py")
    if os.path.exists(path):
        with open(path) as f:
            ours = f.read() == _NAMES_BOOT
        if ours:
            os.remove(path)


def build_agent_romfs(flash_dir, image, names_in_flash=False):
    """Move the agent's package and app.mpy out of flash_dir into the ROMFS
    image `image` (mpremote romfs --no-mpy build: the .mpy files as they are),
    with the virtual board's machine.mpy in /vboard (vboard_setup.py); with
    names_in_flash, also the names module (at /rom, on sys.path) and the
    flash's boot.py that imports it (see the top)."""
    with tempfile.TemporaryDirectory(prefix="devflow-romsrc-") as src:
        compile_all([FilePlan(os.path.join(VBOARD_LIB, "machine.py"), "/vboard/machine.mpy", True)], src)
        for name in FROZEN:
            path = os.path.join(flash_dir, name)
            if not os.path.exists(path):
                raise ToolError(f"nothing to freeze: no {name} in {flash_dir}")
            shutil.move(path, os.path.join(src, name))
        if names_in_flash:
            # /rom and /rom/vboard are where modules are found.
            names = frozen_names(src, "/rom", top_level=("", "vboard"))
            names_module(names, os.path.join(src, NAMES_MODULE + ".mpy"))
            with open(os.path.join(flash_dir, "boot.py"), "w") as f:
                f.write(_NAMES_BOOT)
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


def heapsize_for(held):
    """What `held` bytes of heap blocks cost in -X heapsize: the blocks,
    plus the collector's tables for them (2 allocation bits and 1
    finaliser bit per block). bench/agent_bench.py measures the same rate
    on the port itself."""
    return held + -(-held * 3 // (8 * GC_BLOCK))


def image_heapsize(image_bytes, pad=0):
    """What that copy costs in -X heapsize."""
    return heapsize_for(image_held_bytes(image_bytes, pad))


def run_shim(flash_dir, image=None, pad=0, heapsize=None, peripherals=None):
    """The virtual board's boot shim run once, with no REPL (stdin closed):
    it mounts flash_dir (and the ROMFS image, padded by `pad`), then runs
    its boot.py and main.py; with `peripherals` (a host folder), machine
    has the board's pins and buses. -> subprocess.CompletedProcess (text)."""
    env = shim_env(flash_dir, peripherals=peripherals, romfs=image, romfs_pad=pad)
    cmd = [find_program("micropython")] + (["-X", f"heapsize={heapsize}"] if heapsize else []) + [_BOOT_SHIM]
    return subprocess.run(cmd, env=env, cwd=flash_dir, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)


_LIVE_AT_MAIN = "import gc\ngc.collect()\nprint(gc.mem_alloc())\n"
_names_held = {}  # image bytes -> names_held_bytes: one calibration per image


def names_heapsize(image):
    """What the names of `image` cost in -X heapsize (names_held_bytes)."""
    return heapsize_for(names_held_bytes(image))


def names_held_bytes(image):
    """The heap the names module of `image` (build_agent_romfs with
    names_in_flash) leaves held: the live heap as main.py starts, after the
    names' boot.py minus with none, the same image mounted both times.
    Measured there, not right after the import: until boot.py has
    returned, stale references on the stack keep parts of the module."""
    with open(image, "rb") as f:
        key = f.read()
    if key not in _names_held:
        live = []
        with tempfile.TemporaryDirectory(prefix="devflow-names-") as flash:
            with open(os.path.join(flash, "main.py"), "w") as f:
                f.write(_LIVE_AT_MAIN)
            for boot in (_NAMES_BOOT, ""):
                with open(os.path.join(flash, "boot.py"), "w") as f:
                    f.write(boot)
                done = run_shim(flash, image)
                if done.returncode != 0 or not done.stdout.strip().isdigit():
                    raise ToolError(f"the boot shim did not report its heap: {(done.stderr or done.stdout)[-300:]}")
                live.append(int(done.stdout))
        _names_held[key] = live[0] - live[1]
    return _names_held[key]


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
                 tcp_port=0, main=None, frozen=False, romfs_pad=0, heap_excludes_image=False,
                 names_in_flash=False):
        # heap_excludes_image (with frozen and a heapsize): the heapsize is
        # the agent's, and the image's own copy (image_heapsize) is added to
        # it, so a budget means the same as on a board that maps the image;
        # with names_in_flash, the names' cost too (names_heapsize).
        self.files = install_agent(flash_dir, board, config, source=source)
        if main is not None:
            # A different entry point (the bench's probes) on the same flash.
            shutil.copyfile(main, os.path.join(flash_dir, "main.py"))
        self.romfs = None
        if names_in_flash and not frozen:
            raise ToolError("names in flash model frozen firmware: they need frozen=True")
        if frozen:
            self.romfs = build_agent_romfs(flash_dir, os.path.join(peripherals, ROMFS_NAME), names_in_flash)
            if heapsize and heap_excludes_image:
                heapsize = _heap_bytes(heapsize) + image_heapsize(os.path.getsize(self.romfs), romfs_pad)
                if names_in_flash:
                    heapsize += names_heapsize(self.romfs)
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
