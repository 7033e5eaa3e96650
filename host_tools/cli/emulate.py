"""`emulate`: run the agent as an emulated board against a config file."""

import sys

from host_tools.emulator.boards import board_names


def add_arguments(parser):
    parser.add_argument("--board", default="esp32-ssd1306", choices=board_names())
    parser.add_argument("--config", default="devflow.json", help="device config (JSON)")
    parser.add_argument("--flash", default=".flash", help="folder standing in for flash")
    parser.add_argument("--screenshot", help="PNG of the panel, rewritten on every change")
    parser.add_argument("--until", choices=["paired", "code", "denied", "expired", "error"],
                        help="exit 0 when the device reaches this state")
    parser.add_argument("--timeout", type=float, help="give up after this many seconds (exit 3)")
    parser.add_argument("--no-terminal", action="store_true", help="do not draw the panel in the terminal")


def run(args):
    from host_tools.emulator.runner import Emulator
    emulator = Emulator(args.board, args.config, args.flash, screenshot=args.screenshot,
                        show_terminal=not args.no_terminal and sys.stdout.isatty())
    with _keys_unbuffered(emulator.show_terminal):
        return emulator.run(until=args.until, timeout=args.timeout)


class _keys_unbuffered:
    # Single key presses reach the emulator without Enter, and the terminal
    # is restored however the run ends.
    def __init__(self, active):
        self.active = active and sys.stdin.isatty()

    def __enter__(self):
        if self.active:
            import termios
            import tty
            self.saved = termios.tcgetattr(sys.stdin)
            tty.setcbreak(sys.stdin)

    def __exit__(self, *exc):
        if self.active:
            import termios
            termios.tcsetattr(sys.stdin, termios.TCSADRAIN, self.saved)
