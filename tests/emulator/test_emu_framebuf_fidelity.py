"""The emulated framebuf draws byte-for-byte what MicroPython's draws.

Random drawing programs (seeded, so a failure reproduces) run once in the
real MicroPython unix port and once against host_tools.emulator.framebuf;
the resulting buffers and every pixel() read must be identical.
"""

import array
import os
import tempfile

import pytest

from emu_fb_programs import FORMATS, RUNNER, programs
from emu_support import MICROPYTHON
from host_tools.emulator import framebuf as emu_framebuf

# (format, width, height, stride, seed, programs): odd sizes on purpose,
# so partial pages / partial bytes at the edges are exercised.
CONFIGS = [
    ("MONO_VLSB", 37, 23, 37, 1, 120),
    ("MONO_VLSB", 128, 64, 128, 2, 30),
    ("MONO_VLSB", 19, 13, 24, 3, 40),
    ("MONO_HLSB", 29, 17, 29, 4, 90),
    ("MONO_HLSB", 13, 11, 21, 5, 30),
    ("MONO_HMSB", 21, 15, 21, 6, 40),
    ("RGB565", 31, 19, 31, 7, 90),
    ("RGB565", 17, 9, 23, 8, 30),
    ("GS8", 23, 14, 23, 9, 30),
    ("GS4_HMSB", 15, 9, 15, 10, 20),
    ("GS2_HMSB", 13, 7, 17, 11, 20),
]


def _real_results(fmt, w, h, stride, progs):
    script = RUNNER + (
        "import framebuf, array\n"
        "for ops in PROGRAMS:\n"
        "    data, got = run_program(framebuf, array, %d, %d, %d, %d, ops)\n"
        "    print(''.join('%%02x' %% b for b in data), repr(got))\n" % (fmt, w, h, stride)
    )
    script = "PROGRAMS = %r\n" % (progs,) + script
    with tempfile.NamedTemporaryFile("w", suffix=".py", encoding="utf-8", delete=False) as f:
        f.write(script)
    try:
        import subprocess
        out = subprocess.run([MICROPYTHON, f.name], capture_output=True, timeout=60)
    finally:
        os.unlink(f.name)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    lines = out.stdout.decode().splitlines()
    return [(bytes.fromhex(line.split(" ", 1)[0]), line.split(" ", 1)[1]) for line in lines]


@pytest.mark.parametrize("name,w,h,stride,seed,count", CONFIGS)
def test_random_programs_match_real_micropython(mp_run, name, w, h, stride, seed, count):
    fmt = FORMATS[name]
    progs = programs(seed, count, fmt, w, h)
    real = _real_results(fmt, w, h, stride, progs)
    assert len(real) == len(progs)
    scope = {}
    exec(RUNNER, scope)
    for index, (ops, (real_bytes, real_got)) in enumerate(zip(progs, real)):
        data, got = scope["run_program"](emu_framebuf, array, fmt, w, h, stride, ops)
        if data != real_bytes or repr(got) != real_got:
            # Shrink to the first op that makes the outputs differ.
            for n in range(1, len(ops) + 1):
                d, g = scope["run_program"](emu_framebuf, array, fmt, w, h, stride, ops[:n])
                r = _real_results(fmt, w, h, stride, [ops[:n]])[0]
                if d != r[0] or repr(g) != r[1]:
                    pytest.fail("program %d (seed %d) differs at op %r\nprefix: %r"
                                % (index, seed, ops[n - 1], ops[:n]))
            pytest.fail("program %d differs" % index)


def test_font_file_matches_generator(mp_run):
    """font8x8.py is generated; it must equal what make_font produces now."""
    from host_tools.emulator import make_font
    with open(make_font.OUTPUT, encoding="utf-8") as f:
        committed = f.read()
    assert committed == make_font.font_source(make_font.render_glyphs(MICROPYTHON))


def test_constants_have_micropython_values():
    assert (emu_framebuf.MONO_VLSB, emu_framebuf.RGB565, emu_framebuf.GS4_HMSB,
            emu_framebuf.MONO_HLSB, emu_framebuf.MONO_HMSB, emu_framebuf.GS2_HMSB,
            emu_framebuf.GS8) == (0, 1, 2, 3, 4, 5, 6)


def test_too_small_buffer_is_rejected_like_micropython():
    with pytest.raises(ValueError):
        emu_framebuf.FrameBuffer(bytearray(3), 8, 8, emu_framebuf.MONO_VLSB)
    fb = emu_framebuf.FrameBuffer(bytearray(8), 8, 8, emu_framebuf.MONO_VLSB)
    fb.pixel(7, 7, 1)
    assert bytes(fb) == b"\x00" * 7 + b"\x80"
