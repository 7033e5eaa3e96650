# Sets the virtual board up (MicroPython; imported once by vboot.py, which
# then runs boot.py and main.py). It drops itself from sys.modules, so none
# of its code or names stays in the heap while main.py runs; only what a
# board holds too (the mounts, sys.path, `machine`) does.
#
# The flash folder (DEVFLOW_VB_FLASH) becomes `/` (a VfsPosix mount),
# sys.path a board's ('', '.frozen', '/lib'), and `machine` this folder's
# machine.py (the port's machine plus reset(); with peripherals,
# DEVFLOW_VB_PERIPH, also Pin and an I2C whose SSD1306 stream lands in
# <peripherals>/i2c.bin).
#
# With a ROMFS image (DEVFLOW_VB_ROMFS, a host path; off by default) the
# image is mounted at /rom and '/rom', '/rom/lib' join sys.path after
# '.frozen', as on a board with a romfs partition: .mpy files in it run in
# place (bytecode not copied into the heap), as frozen code does. The image
# is mounted first, so `machine` is imported from it (/rom/vboard). The unix
# port cannot map a file from outside its heap, so the image is read into
# a heap buffer first (DEVFLOW_VB_ROMFS_PAD spare bytes after it, for the
# bench's calibration); bench/agent_bench.py subtracts that buffer's cost.
#
# Host paths in DEVFLOW_VB_* are absolute (vboot.py has changed directory).
# Names here are few and short: every name is interned for good.
import os
import sys
import vfs

path = os.getenv("DEVFLOW_VB_ROMFS")
data = None
if path:
    # Before "/" is the flash: the image is a host file.
    with open(path, "rb") as f:
        n = f.seek(0, 2)
        data = memoryview(bytearray(n + int(os.getenv("DEVFLOW_VB_ROMFS_PAD") or 0)))[:n]
        f.seek(0)
        f.readinto(data)
    vfs.mount(vfs.VfsRom(data), "/rom")
    # The image's compiled machine (agent_board.py puts it in /vboard)
    # comes before this folder's source: run in place, as a board's
    # machine runs from ROM, its bytecode is not in the heap.
    sys.path.insert(0, "/rom/vboard")

# Before "/" is the flash: with peripherals it opens its stream, a host file.
import machine

vfs.umount("/")
vfs.mount(vfs.VfsPosix(os.getenv("DEVFLOW_VB_FLASH")), "/")
os.chdir("/")
sys.path[:] = ["", ".frozen", "/lib"]
# Extra host folders (DEVFLOW_VB_EXTRA, ':'-separated) at /_host0, ... end sys.path.
n = 0
for path in (os.getenv("DEVFLOW_VB_EXTRA") or "").split(":"):
    if path:
        name = "/_host%d" % n
        vfs.mount(vfs.VfsPosix(path), name)
        sys.path.append(name)
        n += 1
if data is not None:
    sys.path[2:2] = ["/rom", "/rom/lib"]

# What vboot.py runs (`names`: a name the port has built in, not one more).
names = ("boot.py",) if os.getenv("DEVFLOW_VB_BOOT") == "raw" else ("boot.py", "main.py")
del sys.modules[__name__]
