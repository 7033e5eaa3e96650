"""A terminal capture, turned into the picture a person would see.

Runs a command with its stdout on a pseudo-terminal (so it believes it
talks to a terminal), then renders the captured text with its ANSI colours
as pixels: each character cell is two pixels high, the upper and lower half
blocks drawing in the foreground colour. Default colours are those of a dark
terminal theme, so a QR drawn without explicit black-on-white comes out
inverted, as it would on such a screen.
"""

import os
import pty
import re
import select
import subprocess
import time

from PIL import Image

DEFAULT_FG, DEFAULT_BG = 200, 30
_PALETTE = {0: 0, 7: 205}  # ANSI black / white; bright variants below
_BRIGHT = {0: 85, 7: 255}
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def run_in_terminal(cmd, env, timeout):
    """Run cmd with a pty as stdout; returns (exit status, captured text)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    captured, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            captured += chunk
        elif proc.poll() is not None:
            break
    else:
        proc.kill()
    os.close(master)
    status = proc.wait(timeout=10)
    return status, captured.decode("utf-8", "replace"), proc.stderr.read().decode()


def _colour(code, fg, bg):
    if code == 0:
        return DEFAULT_FG, DEFAULT_BG
    if 30 <= code <= 37:
        return _PALETTE.get(code - 30, 128), bg
    if 90 <= code <= 97:
        return _BRIGHT.get(code - 90, 170), bg
    if 40 <= code <= 47:
        return fg, _PALETTE.get(code - 40, 128)
    if 100 <= code <= 107:
        return fg, _BRIGHT.get(code - 100, 170)
    if code == 39:
        return DEFAULT_FG, bg
    if code == 49:
        return fg, DEFAULT_BG
    return fg, bg


def render(text, cell=4):
    """Grey-scale image of the captured text (2 pixels per cell, scaled)."""
    rows = []
    fg, bg = DEFAULT_FG, DEFAULT_BG
    for line in text.replace("\r", "").split("\n"):
        top, bottom = [], []
        pos = 0
        for match in list(_SGR.finditer(line)) + [None]:
            end = match.start() if match else len(line)
            for ch in line[pos:end]:
                top.append(fg if ch in "\u2588\u2580" else bg)
                bottom.append(fg if ch in "\u2588\u2584" else bg)
            if match is None:
                break
            for part in (match.group(1) or "0").split(";"):
                fg, bg = _colour(int(part or 0), fg, bg)
            pos = match.end()
        rows += [top, bottom]
    width = max(len(r) for r in rows)
    image = Image.new("L", (width, len(rows)), DEFAULT_BG)
    for y, row in enumerate(rows):
        for x, value in enumerate(row):
            image.putpixel((x, y), value)
    return image.resize((width * cell, len(rows) * cell), Image.NEAREST)
