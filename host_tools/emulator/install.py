"""Make board-only modules importable on CPython.

Agent and board files do `import machine`, `import framebuf` and
`from micropython import const`; on CPython those names do not exist, so
install_board_modules() registers the emulated ones in sys.modules before
any board code is imported. `time` becomes CPython's time plus
MicroPython's ticks_* / sleep_ms on the emulator's clock (mptime, vclock),
and `network` the emulated Wi-Fi station (network.py).
"""

import sys
import types


def _micropython_module():
    """The `micropython` module: compiler hints become no-ops."""
    mod = types.ModuleType("micropython")
    identity = lambda f: f   # noqa: E731  native/viper only change speed
    mod.const = lambda value: value
    mod.native = mod.viper = mod.asm_thumb = mod.asm_xtensa = identity
    mod.alloc_emergency_exception_buf = lambda size: None
    mod.opt_level = lambda level=None: 0 if level is None else None
    mod.stack_use = lambda: 0
    mod.heap_lock = mod.heap_unlock = lambda: 0
    mod.kbd_intr = lambda chr: None

    def mem_info(verbose=None):
        print("mem: emulated (CPython has no MicroPython heap)")

    def schedule(func, arg):
        # A board runs it soon, outside the IRQ; the emulator has no IRQ
        # context to escape from, so "soon" is now.
        func(arg)

    mod.mem_info, mod.qstr_info, mod.schedule = mem_info, mem_info, schedule
    return mod


def install_micropython_module():
    """Register `micropython` only: agent files write `from micropython
    import const`, which mpy-cross compiles to nothing on a board."""
    if not isinstance(sys.modules.get("micropython"), types.ModuleType) or \
            not hasattr(sys.modules["micropython"], "const"):
        sys.modules["micropython"] = _micropython_module()


def install_board_modules():
    """Register `machine`, `framebuf`, `micropython`, `time`, `network`; idempotent."""
    from host_tools.emulator import framebuf, machine, mptime, network
    sys.modules["machine"] = machine
    sys.modules["framebuf"] = framebuf
    sys.modules["network"] = network
    mptime.install()
    install_micropython_module()
