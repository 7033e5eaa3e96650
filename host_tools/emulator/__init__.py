"""The emulator: plays a board's machine/framebuf/micropython modules and
its display chips on CPython, so agent/ and boards/ files run unchanged.

    from host_tools.emulator import install_board_modules
    install_board_modules()      # now `import machine, framebuf` work
"""

from host_tools.emulator.install import install_board_modules  # noqa: F401
