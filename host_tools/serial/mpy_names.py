"""The names (qstrs) of .mpy files, for modelling frozen firmware on the
virtual board.

A .mpy file opens with a table of the names its code uses (.mpy v6: a
4-byte header, the counts of names and of constants as variable-length
uints, then each name as uint(length << 1) followed by its bytes and a
NUL; an odd uint is a name the firmware holds already, by index). Loading
the file interns each name the firmware lacks, and so does importing it:
the module's dotted name and its path (`__file__`) become names too.
Loaded from a ROMFS image, a name's text stays in the image, but its entry
(hash, length, pointer: 11 bytes on the 64-bit port, in pools that double
in size) goes to the heap. Frozen into firmware, all of these are compiled
into the firmware's own pool, in flash, and none costs heap.

frozen_names() lists them for a tree of .mpy files as the image holds it,
and names_module() writes a .mpy whose table holds a given list and whose
code does nothing. On the virtual board (agent_board.py, names_in_flash)
boot.py imports that module from the image and drops it, so the names are
interned before the agent runs, and AgentBoard adds what they hold,
measured, on top of the heap size: the agent then runs in a heap as large
as the one frozen firmware would leave it.
"""

import os
import subprocess
import tempfile

from .errors import ToolError
from .tools import find_program

MPY_VERSION = 6
NAMES_MODULE = "frozen_names"  # imported once by the board's boot.py, then dropped


def _read_uint(data, at):
    # -> (value, offset after it): 7 bits a byte, most significant first,
    # the top bit set on every byte but the last.
    value = 0
    while True:
        if at >= len(data):
            raise ToolError("a .mpy file ends inside its name table")
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at


def _uint(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _table(data):
    # -> (the names' entries as raw bytes, the constants' count, offset
    # of what follows the table), for .mpy bytes.
    if len(data) < 4 or data[0] != ord("M") or data[1] != MPY_VERSION:
        raise ToolError(f"not a .mpy v{MPY_VERSION} file")
    count, at = _read_uint(data, 4)
    constants, at = _read_uint(data, at)
    entries = []
    for _ in range(count):
        start = at
        word, at = _read_uint(data, at)
        if not word & 1:
            at += (word >> 1) + 1  # the text and its NUL
            if at > len(data) or data[at - 1] != 0:
                raise ToolError("a .mpy file's name table is cut short")
        entries.append(data[start:at])
    return entries, constants, at


def qstr_names(data):
    """The names a .mpy file's table spells out (those the firmware holds
    already, stored by index, are left out), in table order."""
    names = []
    for entry in _table(data)[0]:
        word, at = _read_uint(entry, 0)
        if not word & 1:
            names.append(entry[at:at + (word >> 1)].decode("utf-8"))
    return names


def frozen_names(tree, mount="/rom", top_level=("",)):
    """Every name frozen firmware would hold for the .mpy files under
    `tree` (an image's contents, mounted at `mount`): each file's table,
    its path, its module's dotted name and each package's, and the
    packages' own names. `top_level`: the folders under `tree` that are on
    sys.path ("" for `tree` itself); a module's name counts from the one
    it is found in."""
    names = set()
    for folder, _, files in os.walk(tree):
        for file in files:
            if not file.endswith(".mpy"):
                continue
            path = os.path.join(folder, file)
            rel = os.path.relpath(path, tree).replace(os.sep, "/")
            with open(path, "rb") as f:
                names.update(qstr_names(f.read()))
            names.add(mount + "/" + rel)
            module = rel[:-4]
            for root in sorted(top_level, key=len, reverse=True):
                if not root or module.startswith(root + "/"):
                    module = module[len(root) + 1:] if root else module
                    break
            parts = module.split("/")
            for n in range(1, len(parts) + 1):
                names.add(".".join(parts[:n]))  # devflow, devflow.core, devflow.core.flow
                names.add(parts[n - 1])
                if n < len(parts):
                    names.add(mount + "/" + "/".join(parts[:n]))  # a package's __path__
    return sorted(names)


def names_module(names, out_path):
    """Write to out_path a .mpy that does nothing and whose name table
    holds `names`. Names are appended after the table mpy-cross wrote for
    an empty module: the code refers to its own names by index, so those
    keep theirs."""
    with tempfile.TemporaryDirectory(prefix="devflow-names-") as tmp:
        source = os.path.join(tmp, NAMES_MODULE + ".py")
        with open(source, "w") as f:
            f.write("# names only: see host_tools/serial/mpy_names.py\n")
        compiled = os.path.join(tmp, NAMES_MODULE + ".mpy")
        done = subprocess.run([find_program("mpy-cross"), "-s", NAMES_MODULE, "-o", compiled, source],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise ToolError(f"mpy-cross cannot compile the names module: {done.stderr.strip()}")
        with open(compiled, "rb") as f:
            data = f.read()
    entries, constants, end = _table(data)
    for name in names:
        text = name.encode("utf-8")
        entries.append(_uint(len(text) << 1) + text + b"\0")
    with open(out_path, "wb") as f:
        f.write(data[:4] + _uint(len(entries)) + _uint(constants) + b"".join(entries) + data[end:])
    return out_path
