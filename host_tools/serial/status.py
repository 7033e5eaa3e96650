"""status, unpair and reset: small questions and actions on the board."""

import json

from . import device_code
from .errors import ToolError
from .ports import has_reset_lines, open_stream, pulse_reset_lines


def status(board):
    """A dict: platform, bytecode, files, free/total flash, config (secrets
    redacted on the board), tokens present."""
    info = board.exec_json(device_code.inventory(walk=True))
    info.pop("hashes", None)
    return info


def format_status(info):
    free, total = info["flash"]
    lines = [
        f"board:    {info['platform']} ({info['version']}), .mpy v{info['mpy'] & 0xFF}.{(info['mpy'] >> 8) & 3}",
        f"flash:    {free // 1024} KB free of {total // 1024} KB",
        f"paired:   {'yes (token file present)' if info['tokens'] else 'no'}",
    ]
    config = info["config"]
    if config is None:
        lines.append("config:   none (run provision)")
    elif isinstance(config, str):
        lines.append(f"config:   {device_code.CONFIG_PATH} is {config}")
    else:
        lines.append("config:   " + json.dumps(config, indent=2, sort_keys=True).replace("\n", "\n          "))
    lines.append(f"files:    {len(info['files'])}")
    for path, size in sorted(info["files"].items()):
        lines.append(f"  {size if size is not None else '?':>8}  {path}")
    return "\n".join(lines)


def unpair(board):
    """Delete the token file; True if there was one."""
    return bool(board.exec_json(device_code.remove([device_code.TOKENS_PATH])))


def reset(board, method="auto"):
    """Hard reset: the RTS/DTR lines on ESP32 dev kits, else machine.reset()."""
    if method == "auto":
        method = "lines" if has_reset_lines(board.port) else "repl"
    if method == "lines":
        stream = open_stream(board.port)
        try:
            pulse_reset_lines(stream)
        except (OSError, ValueError) as e:
            raise ToolError(f"cannot drive the reset lines of {board.port}: {e}") from None
        finally:
            stream.close()
    elif method == "repl":
        board.run("reset")
    elif method == "soft":
        board.run("soft-reset")
    else:
        raise ToolError(f"unknown reset method {method}")
    return method
