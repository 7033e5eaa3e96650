# Freeze the devflow agent into MicroPython firmware (a manifest for the
# firmware build, read by tools/manifestfile.py; never copied to a board).
#
#   make -C ports/esp32 BOARD=ESP32_GENERIC FROZEN_MANIFEST=/path/to/agent/manifest.py
#   make -C ports/rp2 BOARD=RPI_PICO_W FROZEN_MANIFEST=/path/to/agent/manifest.py
#
# Why freeze: a .mpy imported from the filesystem is copied into the heap
# (bytecode, constants and its names), which is most of what the agent
# costs on a board; frozen bytecode and names stay in flash and run in
# place, so the heap keeps only the objects the code creates.
#
# What stays on the filesystem, on purpose:
# - main.py. A frozen `main` would run at every boot ahead of /main.py
#   (pyexec_file_if_exists looks in the frozen modules first), so a board
#   could no longer be told to do something else at boot without a new
#   firmware. main.py is two lines of source (it calls app.main); copy it
#   with `deploy`.
# - board.py (the wiring, one per board) and devflow.json (the settings).
# After flashing a firmware with the agent frozen, do not also deploy the
# agent's files: '' comes before '.frozen' on sys.path, so a /devflow folder
# on the filesystem would shadow the frozen package.

# The port's own frozen modules (asyncio, the board's drivers, ...).
include("$(PORT_DIR)/boards/manifest.py")

# opt=3, as `deploy` compiles: no asserts and no line-number tables
# (tracebacks keep file and function names).
module("app.py", opt=3)
# Every module under devflow/: core, adapters, QR, every display driver.
# Unused drivers cost flash only, never heap.
package("devflow", opt=3)
