"""Random framebuf drawing programs, runnable on both interpreters.

A program is a list of plain tuples (name, *args) so it can be written into
a MicroPython script as a literal. RUNNER is MicroPython-compatible source
that executes one program against whichever `framebuf` module it is given,
so the real interpreter and the emulator run the very same dispatch code.
"""

import random

FORMATS = {"MONO_VLSB": 0, "RGB565": 1, "GS4_HMSB": 2, "MONO_HLSB": 3, "MONO_HMSB": 4,
           "GS2_HMSB": 5, "GS8": 6}

RUNNER = r'''
def fb_bytes(fmt, w, h, stride):
    if fmt == 0:
        return ((h + 7) // 8) * stride
    if fmt in (3, 4):
        return ((stride + 7) // 8) * h
    if fmt == 2:
        return ((stride + 1) // 2) * h
    if fmt == 5:
        return ((stride + 3) // 4) * h
    return stride * h * (2 if fmt == 1 else 1)

def make_fb(framebuf, fmt, w, h, stride, data):
    buf = bytearray(fb_bytes(fmt, w, h, stride))
    for i in range(len(buf)):
        buf[i] = data[i % len(data)]
    return buf, framebuf.FrameBuffer(buf, w, h, fmt, stride)

def run_program(framebuf, array, fmt, w, h, stride, ops):
    buf, fb = make_fb(framebuf, fmt, w, h, stride, b"\x00")
    got = []
    for op in ops:
        name = op[0]
        a = op[1:]
        if name == "pixel_get":
            got.append(fb.pixel(a[0], a[1]))
        elif name == "poly":
            fb.poly(a[0], a[1], array.array("h", a[2]), a[3], a[4])
        elif name == "blit":
            sfmt, sw, sh, sdata, x, y, key, pal = a
            src = make_fb(framebuf, sfmt, sw, sh, sw, sdata)[1]
            palette = None
            if pal is not None:
                palette = make_fb(framebuf, fmt, 2, 1, 2, b"\x00")[1]
                palette.pixel(0, 0, pal[0])
                palette.pixel(1, 0, pal[1])
            fb.blit(src, x, y, key, palette)
        else:
            getattr(fb, name)(*a)
    return bytes(buf), got
'''

_TEXT_CHARS = "AZaz09 !~{}|\\@#$%^&*()_+-=[]:;'<>,.?/\t\x7f\x01\x1féü€"


def _colour(rng, fmt):
    if fmt in (0, 3, 4):
        return rng.choice((0, 1, 1, 2))
    if fmt == 1:
        return rng.choice((0, 0xFFFF, rng.randrange(0x10000), -1, 0x12345))
    if fmt in (2, 5):
        return rng.choice((0, 1, 2, 3, rng.randrange(16), 0x1F))
    return rng.choice((0, 255, rng.randrange(256), 0x1FF))


def _op(rng, fmt, w, h):
    """One random call; coordinates reach past every edge on purpose."""
    c = _colour(rng, fmt)
    X = lambda: rng.randint(-w // 2, w + w // 2)
    Y = lambda: rng.randint(-h // 2, h + h // 2)
    L = lambda n: rng.randint(-3, n)
    kind = rng.choice(("fill", "pixel", "pixel_get", "hline", "vline", "line",
                       "line", "rect", "fill_rect", "ellipse", "ellipse", "poly",
                       "poly", "text", "text", "scroll", "blit", "blit"))
    if kind == "fill":
        return ("fill", c)
    if kind == "pixel":
        return ("pixel", X(), Y(), c)
    if kind == "pixel_get":
        return ("pixel_get", X(), Y())
    if kind == "hline":
        return ("hline", X(), Y(), L(w), c)
    if kind == "vline":
        return ("vline", X(), Y(), L(h), c)
    if kind == "line":
        return ("line", X(), Y(), X(), Y(), c)
    if kind in ("rect", "fill_rect"):
        args = ("rect", X(), Y(), L(w), L(h), c)
        return args + (rng.random() < 0.5,) if kind == "rect" else ("fill_rect",) + args[1:]
    if kind == "ellipse":
        return ("ellipse", X(), Y(), rng.randint(-1, w // 2), rng.randint(-1, h // 2), c,
                rng.random() < 0.5, rng.randrange(16))
    if kind == "poly":
        n = rng.randint(1, 6)
        pts = tuple(v for _ in range(n) for v in (rng.randint(-w // 3, w), rng.randint(-h // 3, h)))
        return ("poly", L(w // 2), L(h // 2), pts, c, rng.random() < 0.6)
    if kind == "text":
        s = "".join(rng.choice(_TEXT_CHARS) for _ in range(rng.randint(0, 6)))
        return ("text", s, rng.randint(-10, w), rng.randint(-9, h), c)
    if kind == "scroll":
        return ("scroll", rng.randint(-w, w), rng.randint(-h, h))
    return _blit_op(rng, fmt, w, h)


def _blit_op(rng, fmt, w, h):
    sfmt = rng.choice((fmt, fmt, 0, 3))
    sw, sh = rng.randint(1, 12), rng.randint(1, 10)
    data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 5)))
    key = rng.choice((-1, 0, 1, _colour(rng, fmt)))
    pal = None
    if sfmt in (0, 3) and rng.random() < 0.4:
        pal = (_colour(rng, fmt), _colour(rng, fmt))
    return ("blit", sfmt, sw, sh, data, rng.randint(-sw, w), rng.randint(-sh, h), key, pal)


def programs(seed, count, fmt, w, h, ops=(4, 14)):
    rng = random.Random(seed)
    return [[_op(rng, fmt, w, h) for _ in range(rng.randint(*ops))] for _ in range(count)]
