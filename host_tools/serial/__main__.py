"""`python -m host_tools.serial <command>`: the serial commands on their own.

The project's CLI (`python -m host_tools`) takes the same COMMANDS table;
this entry point exists so the tools (and their tests) run without it.
"""

import argparse
import sys

from .commands import COMMANDS
from .errors import ToolError

PROG = "devflow"


def build_parser(commands=COMMANDS, prog=PROG):
    parser = argparse.ArgumentParser(prog=prog, description="devflow board tools")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (add_arguments, do, help_text) in commands.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(child)
        child.set_defaults(_do=do)
    return parser


def main(argv=None, prog=PROG):
    args = build_parser(prog=prog).parse_args(argv)
    try:
        return args._do(args) or 0
    except ToolError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
