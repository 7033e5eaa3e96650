"""Regenerate font8x8.py from the real MicroPython's framebuf.text().

We do not copy MicroPython's font table: we ask the real interpreter to draw
each character 32..127 into an 8x8 MONO_VLSB buffer, whose 8 bytes are then
exactly the glyph's 8 columns (bit 0 = top row). That guarantees the
emulator's text matches a board's text pixel for pixel.

Usage:  .venv/bin/python -m host_tools.emulator.make_font [path/to/micropython]
"""

import os
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(_HERE, "font8x8.py")
DEFAULT_MICROPYTHON = os.path.join(_HERE, "..", "..", ".venv", "bin", "micropython")

# Runs inside MicroPython: one line of hex per character.
_RENDER_SCRIPT = """
import framebuf
buf = bytearray(8)
fb = framebuf.FrameBuffer(buf, 8, 8, framebuf.MONO_VLSB)
for code in range(32, 128):
    fb.fill(0)
    fb.text(chr(code), 0, 0, 1)
    print(''.join('%02x' % b for b in buf))
"""

_HEADER = '''"""8x8 font of MicroPython's framebuf.text(), characters 32..127.

GENERATED FILE, do not edit. It was produced by rendering every character
with the real MicroPython framebuf.text(); regenerate with:

    .venv/bin/python -m host_tools.emulator.make_font

Layout: 8 bytes per character starting at chr(32); each byte is one column,
bit 0 the top row (MONO_VLSB order).
"""

FONT = bytes((
'''


def render_glyphs(micropython=DEFAULT_MICROPYTHON):
    """Return the 96*8 glyph bytes as drawn by the real interpreter."""
    out = subprocess.run([micropython, "-c", _RENDER_SCRIPT], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    lines = out.split()
    if len(lines) != 96:
        raise RuntimeError("expected 96 glyphs from micropython, got %d" % len(lines))
    return b"".join(bytes.fromhex(line) for line in lines)


def font_source(glyphs):
    """The text of font8x8.py for the given glyph bytes."""
    rows = []
    for i in range(96):
        chunk = glyphs[i * 8:i * 8 + 8]
        code = 32 + i
        label = repr(chr(code)) if code < 127 else "DEL (fallback glyph)"
        rows.append("    %s,  # %d %s\n" % (", ".join("0x%02x" % b for b in chunk), code, label))
    return _HEADER + "".join(rows) + "))\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    micropython = argv[0] if argv else DEFAULT_MICROPYTHON
    with open(OUTPUT, "w") as f:
        f.write(font_source(render_glyphs(micropython)))
    print("wrote", OUTPUT)


if __name__ == "__main__":
    main()
