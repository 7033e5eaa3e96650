# Drawing primitives on any framebuf.FrameBuffer: 8x8 text at any scale,
# where its lines break, and a QR matrix. Everything a screen needs beyond
# what framebuf itself has.
#
# Lines are spans (start, end) of the caller's string, never new strings:
# the screen is redrawn every second, and each line allocated would be
# garbage on a small heap.

import framebuf

# One glyph at a time is drawn here and then enlarged: 8 bytes, kept.
_rows = bytearray(8)
_glyph = framebuf.FrameBuffer(_rows, 8, 8, framebuf.MONO_HLSB)


def text(fb, s, i, j, x, y, color, scale):
    # s[i:j] at (x, y), each font pixel a scale x scale square.
    if scale == 1:
        # framebuf's own text; a slice only for part of a string.
        fb.text(s if i == 0 and j == len(s) else s[i:j], x, y, color)
        return
    while i < j:
        _glyph.fill(0)
        # A one-character slice: s[i] would intern the character as a name,
        # for good, on MicroPython; a slice is plain garbage.
        _glyph.text(s[i:i + 1], 0, 0, 1)
        for gy in range(8):
            bits = _rows[gy]
            gx = 0
            while bits:
                # MONO_HLSB: the leftmost pixel is the top bit. A run of lit
                # pixels is one rectangle; the pixel after it is unlit.
                if bits & 0x80:
                    run = gx
                    while bits & 0x80:
                        gx += 1
                        bits = (bits << 1) & 0xFF
                    fb.fill_rect(x + run * scale, y + gy * scale, (gx - run) * scale, scale, color)
                bits = (bits << 1) & 0xFF
                gx += 1
        x += 8 * scale
        i += 1


def line_end(s, i, cols, code):
    # End of the line of s that starts at i (not at a space), at most cols
    # characters wide. Text breaks at spaces, and a word longer than a line
    # after its last "/" (URLs read well split at a path boundary), else
    # hard. A user code (code=True) breaks only after a "-" or " ", so its
    # grouping is kept (RFC 8628 6.1), and hard only inside a group longer
    # than a line.
    n = len(s)
    e = k = i   # e: the end of the words that fit; k: where the next starts
    while e < n:
        # The next word's end: text, the next space; a code, just past the
        # next "-" or " ".
        f = s.find(" ", k)
        if f < 0:
            f = n
        if code:
            d = s.find("-", k)
            if 0 <= d < f:
                f = d
            f = min(f + 1, n)
        if f - i > cols:
            if e > i:
                break
            c = -1 if code else s.rfind("/", i, i + cols)
            return c + 1 if c > i else i + cols
        e = f
        k = f + (not code)  # text: past the space
    return e


def qr(fb, fit, x, y, side, light, dark):
    # fit = (bits, size, scale, quiet modules): a QR code's packed rows as
    # qr.QRMatrix.bits holds them (MONO_HLSB: leftmost module in the top
    # bit, rows of (size + 7) // 8 bytes), centred in the side x side
    # square at (x, y). The quiet zone is drawn light: on an OLED "light" is
    # lit pixels, so the code reads dark-on-light as every scanner expects.
    bits, size, scale, quiet = fit
    stride = (size + 7) >> 3
    box = (size + 2 * quiet) * scale
    x += (side - box) // 2
    y += (side - box) // 2
    fb.fill_rect(x, y, box, box, light)
    x += quiet * scale
    y += quiet * scale
    for my in range(size):
        row = my * stride
        mx = 0
        while mx < size:
            # A run of dark modules is one rectangle; the module after it
            # is light.
            if bits[row + (mx >> 3)] >> (~mx & 7) & 1:
                start = mx
                while mx < size and bits[row + (mx >> 3)] >> (~mx & 7) & 1:
                    mx += 1
                fb.fill_rect(x + start * scale, y + my * scale, (mx - start) * scale, scale, dark)
            mx += 1
