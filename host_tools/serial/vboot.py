# The first code the virtual board's MicroPython runs (unix port, `-i`).
#
# MicroPython code, not CPython. It gives the unix port a board's manners:
# the flash folder becomes `/` (a VfsPosix mount, so `/devflow.json` is the
# folder's devflow.json), sys.path is a board's ('', '.frozen', '/lib'),
# `machine.reset()` exists (it ends the process with a code the supervisor
# reads as "hard reset"), and boot.py then main.py run as on power-up.
# After this file the port's own REPL takes over, as a board's does.
#
# With peripherals (DEVFLOW_VB_PERIPH, a host folder mounted at /_vboard),
# `machine` also gets the Pin and I2C of vboard_machine (compiled there by
# the supervisor): the SSD1306 stream then lands in /_vboard/i2c.bin.
#
# With a ROMFS image (DEVFLOW_VB_ROMFS, a host path; off by default) the
# image is mounted at /rom and '/rom', '/rom/lib' join sys.path after
# '.frozen', as on a board with a romfs partition: .mpy files in it run in
# place (bytecode not copied into the heap), as frozen code does. The unix
# port cannot map a file from outside its heap, so the image is read into
# a heap buffer first (DEVFLOW_VB_ROMFS_PAD spare bytes after it, for the
# bench's calibration); bench/agent_bench.py subtracts that buffer's cost.
import os
import sys
import vfs

_HARD_RESET_EXIT = 99  # must match supervisor.HARD_RESET_EXIT


def _read_rom(path):
    # Before "/" is the flash: the image is a host file.
    with open(path, "rb") as f:
        n = f.seek(0, 2)
        img = memoryview(bytearray(n + int(os.getenv("DEVFLOW_VB_ROMFS_PAD") or 0)))[:n]
        f.seek(0)
        f.readinto(img)
    return img


def _mount_flash():
    flash = os.getenv("DEVFLOW_VB_FLASH")
    extra = os.getenv("DEVFLOW_VB_EXTRA") or ""
    rom = os.getenv("DEVFLOW_VB_ROMFS")
    img = _read_rom(rom) if rom else None
    mounts = []
    for i, path in enumerate([p for p in extra.split(":") if p]):
        mounts.append(("/_host%d" % i, path))
    vfs.umount("/")
    vfs.mount(vfs.VfsPosix(flash), "/")
    periph = os.getenv("DEVFLOW_VB_PERIPH")
    if periph:
        mounts.append(("/_vboard", periph))
    for point, path in mounts:
        vfs.mount(vfs.VfsPosix(path), point)
    os.chdir("/")
    sys.path[:] = ["", ".frozen", "/lib"] + [point for point, _ in mounts]
    if img is not None:
        vfs.mount(vfs.VfsRom(img), "/rom")
        sys.path[2:2] = ["/rom", "/rom/lib"]


def _reset(code=_HARD_RESET_EXIT, exit=sys.exit):
    exit(code)


def _install_machine():
    # The unix port's machine module is read-only and has no reset(): put a
    # class that copies it, plus reset, where `import machine` finds it first.
    import machine as real

    class machine:
        pass

    for name in dir(real):
        if not name.startswith("__"):
            setattr(machine, name, getattr(real, name))
    machine.reset = _reset
    if os.getenv("DEVFLOW_VB_PERIPH"):
        import vboard_machine
        for name in dir(vboard_machine):
            if not name.startswith("_"):
                setattr(machine, name, getattr(vboard_machine, name))
        del sys.modules["vboard_machine"]
    sys.modules["machine"] = machine


def _run_script(name):
    try:
        os.stat(name)
    except OSError:
        return
    try:
        with open(name) as f:
            source = f.read()
        code = compile(source, name, "exec")
        source = None
        exec(code, {"__name__": "__main__"})
    except SystemExit:
        raise
    except BaseException as e:  # a board prints any error (Ctrl-C too) and goes on to the REPL
        sys.print_exception(e)


_mount_flash()
_install_machine()
# What is done goes before boot.py and main.py run: a board's heap holds
# none of this shim, so the agent's heap figures should not either.
del _mount_flash, _read_rom, _install_machine, vfs
_run_script("boot.py")
if os.getenv("DEVFLOW_VB_BOOT") != "raw":
    _run_script("main.py")
del _run_script, _reset, _HARD_RESET_EXIT
