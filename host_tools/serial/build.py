"""What goes on the board, compiled for it: the flash layout, mpy-cross,
the mip package file and the frozen-firmware manifest.

Flash layout (shared with the agent): /main.py and /boot.py stay source
(the board runs main.py as a script); /app, /devflow/** and /board (the
chosen boards/<name>.py) may be compiled to .mpy.
"""

import json
import os
import re
import subprocess

from .errors import ToolError
from .tools import find_program

_SOURCE_ONLY = {"main.py", "boot.py"}
# mpy-cross -O3: asserts out and no line-number tables. The agent has no
# runtime asserts, and the tables are about 7 % of its bytecode, paid in
# flash and (for .mpy on the filesystem) heap. A traceback on the board
# still names the file and the function, with line 1; `deploy --source`
# ships the .py files, for tracebacks with line numbers.
SHIPPED_OPT = 3
_SKIP_NAMES = {"manifest.py", "package.json", "__pycache__"}
_SKIP_SUFFIXES = (".pyc", ".pyi", ".md")


class FilePlan:
    """One file for the board: `src` on the host, `remote` on the board
    (absolute, with the final suffix), `compile` whether mpy-cross runs."""

    def __init__(self, src, remote, compile):
        self.src, self.remote, self.compile = src, remote, compile

    def __repr__(self):
        return f"FilePlan({self.src!r} -> {self.remote!r})"


def plan(agent_dir, boards_dir=None, board=None, compile=True):
    if not os.path.isfile(os.path.join(agent_dir, "main.py")):
        raise ToolError(f"{agent_dir} has no main.py: is it the agent folder?")
    files = []
    for rel in sorted(_agent_files(agent_dir)):
        remote = "/" + rel.replace(os.sep, "/")
        files.append(_file(os.path.join(agent_dir, rel), remote, compile))
    if board:
        src = os.path.join(boards_dir or "", board + ".py")
        if not os.path.isfile(src):
            known = sorted(n[:-3] for n in os.listdir(boards_dir) if n.endswith(".py")) if boards_dir and os.path.isdir(boards_dir) else []
            raise ToolError(f"no board file {src} (known boards: {', '.join(known) or 'none'})")
        files.append(_file(src, "/board.py", compile))
    return files


def _agent_files(agent_dir):
    for top, dirs, names in os.walk(agent_dir):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_NAMES and not d.startswith("."))
        for name in names:
            if name in _SKIP_NAMES or name.endswith(_SKIP_SUFFIXES) or name.startswith("."):
                continue
            rel = os.path.relpath(os.path.join(top, name), agent_dir)
            if os.sep not in rel and not rel.endswith(".py"):
                continue  # top level: only the entry points, no READMEs or notes
            yield rel


def _file(src, remote, compile):
    base = remote.rsplit("/", 1)[-1]
    compile = compile and remote.endswith(".py") and not (remote.count("/") == 1 and base in _SOURCE_ONLY)
    if compile:
        remote = remote[:-3] + ".mpy"
    return FilePlan(src, remote, compile)


# ---- mpy-cross ----

def mpy_cross_version():
    """(major, sub) of the .mpy files this mpy-cross writes."""
    out = subprocess.run([find_program("mpy-cross"), "--version"], capture_output=True, text=True, timeout=20).stdout
    found = re.search(r"mpy v(\d+)\.(\d+)", out)
    if not found:
        raise ToolError(f"cannot tell which .mpy version mpy-cross writes (it says {out.strip()!r})")
    return int(found.group(1)), int(found.group(2))


def board_mpy_version(mpy):
    """sys.implementation._mpy -> (major, sub); (0, 0) when the board has none."""
    return mpy & 0xFF, (mpy >> 8) & 3


def check_bytecode(board_mpy, cross=None):
    board = board_mpy_version(board_mpy)
    cross = cross or mpy_cross_version()
    if board[0] == 0:
        raise ToolError("the board does not say its bytecode version (no sys.implementation._mpy): deploy with --source")
    if board[0] != cross[0]:
        raise ToolError(
            f"the board runs .mpy v{board[0]}.{board[1]} but mpy-cross writes v{cross[0]}.{cross[1]}: "
            f"install the mpy-cross that matches the board's MicroPython, update the firmware (`flash`), "
            f"or deploy with --source"
        )
    return cross


def compile_all(files, out_dir, opt=SHIPPED_OPT):
    """Compile (or copy) every planned file under out_dir; returns
    {remote: local path of the bytes to send}. opt: mpy-cross -O level."""
    staged = {}
    cross = find_program("mpy-cross")
    for f in files:
        local = os.path.join(out_dir, f.remote.lstrip("/"))
        os.makedirs(os.path.dirname(local), exist_ok=True)
        if f.compile:
            # The source name is the module's own name ("flow" for
            # devflow/core/flow.py): a traceback still names the module,
            # and a board has interned that name already (its package
            # attribute), so it costs no second name in the heap.
            source_name = f.remote.rsplit("/", 1)[-1][:-4]
            done = subprocess.run([cross, f"-O{opt}", "-s", source_name, "-o", local, f.src], capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                raise ToolError(f"mpy-cross cannot compile {f.src}: {done.stderr.strip()}")
        else:
            with open(f.src, "rb") as src, open(local, "wb") as dst:
                dst.write(src.read())
        staged[f.remote] = local
    return staged


# ---- packaging ----

def make_package_json(agent_dir, version="0.1.0"):
    """The mip package file for agent/package.json: /lib/devflow/** and
    /lib/app.py, URLs relative to the package file (so
    `mip install github:OWNER/REPO/agent/package.json` works)."""
    urls = []
    for rel in sorted(_agent_files(agent_dir)):
        rel = rel.replace(os.sep, "/")
        if rel in _SOURCE_ONLY:
            continue  # main.py/boot.py belong in /, not in /lib: copy them with deploy
        urls.append([rel, rel])
    return json.dumps({"urls": urls, "deps": [], "version": version}, indent=2) + "\n"


def write_manifest(out_dir, agent_dir, boards_dir=None, board=None):
    """Write out_dir/manifest.py for a firmware build that freezes the agent
    (and the board file, copied as board.py). Returns its path."""
    agent_dir = os.path.abspath(agent_dir)
    os.makedirs(out_dir, exist_ok=True)
    lines = [
        "# Freeze the devflow agent into MicroPython firmware. Generated by",
        "# `deploy --frozen`; build with: make BOARD=... FROZEN_MANIFEST=" + os.path.abspath(os.path.join(out_dir, "manifest.py")),
        'include("$(PORT_DIR)/boards/manifest.py")',
    ]
    # main.py stays on the filesystem (see agent/manifest.py): a frozen
    # main would run at every boot ahead of /main.py.
    if os.path.isfile(os.path.join(agent_dir, "app.py")):
        lines.append(f"module('app.py', base_path={agent_dir!r}, opt={SHIPPED_OPT})")
    if os.path.isdir(os.path.join(agent_dir, "devflow")):
        lines.append(f"package('devflow', base_path={agent_dir!r}, opt={SHIPPED_OPT})")
    if board:
        src = plan(agent_dir, boards_dir, board, compile=False)[-1].src
        with open(src, "rb") as f, open(os.path.join(out_dir, "board.py"), "wb") as dst:
            dst.write(f.read())
        lines.append(f"module('board.py', base_path={os.path.abspath(out_dir)!r}, opt={SHIPPED_OPT})")
    path = os.path.join(out_dir, "manifest.py")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path
