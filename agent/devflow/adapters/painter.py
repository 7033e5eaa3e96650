# Drawing primitives on any framebuf.FrameBuffer: scaled 8x8 text and a QR
# matrix. Everything a screen needs beyond what framebuf itself has.

import framebuf

GLYPH = 8  # framebuf's built-in font is 8x8


class Painter:
    def __init__(self, fb, width, height):
        self.fb = fb
        self.width = width
        self.height = height
        # One glyph at a time is drawn here and then enlarged: 8 bytes, kept.
        self._glyph_buf = bytearray(GLYPH)
        self._glyph = framebuf.FrameBuffer(self._glyph_buf, GLYPH, GLYPH, framebuf.MONO_HLSB)

    def text(self, s, x, y, color, scale=1):
        if scale == 1:
            self.fb.text(s, x, y, color)
            return
        for ch in s:
            self._big_char(ch, x, y, color, scale)
            x += GLYPH * scale

    def _big_char(self, ch, x, y, color, scale):
        glyph = self._glyph
        glyph.fill(0)
        glyph.text(ch, 0, 0, 1)
        rows = self._glyph_buf
        for gy in range(GLYPH):
            bits = rows[gy]
            gx = 0
            while bits:
                # MONO_HLSB: the leftmost pixel is the top bit. Draw runs of
                # lit pixels as one rectangle each.
                if bits & 0x80:
                    run = 0
                    while bits & 0x80:
                        run += 1
                        bits = (bits << 1) & 0xFF
                    self.fb.fill_rect(x + gx * scale, y + gy * scale, run * scale, scale, color)
                    gx += run
                else:
                    bits = (bits << 1) & 0xFF
                    gx += 1

    def qr(self, matrix, x, y, scale, quiet, light, dark):
        # The quiet zone is drawn light: on an OLED "light" is lit pixels, so
        # the code reads dark-on-light as every scanner expects.
        size = matrix.size
        side = (size + 2 * quiet) * scale
        self.fb.fill_rect(x, y, side, side, light)
        ox = x + quiet * scale
        oy = y + quiet * scale
        for my in range(size):
            mx = 0
            while mx < size:
                if matrix.get(mx, my):
                    start = mx
                    while mx < size and matrix.get(mx, my):
                        mx += 1
                    self.fb.fill_rect(ox + start * scale, oy + my * scale,
                                      (mx - start) * scale, scale, dark)
                else:
                    mx += 1
        return side


def _split_point(word, columns):
    # Where to break a word longer than a line: after the last "/" (URLs
    # read well split at a path boundary), else hard at the column.
    cut = word.rfind("/", 0, columns)
    return cut + 1 if cut > 0 else columns


def wrap(text, columns):
    # Break at spaces where possible; long words (URLs) as _split_point says.
    lines = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= columns:
            lines[-1] += " " + word
            continue
        while len(word) > columns:
            cut = _split_point(word, columns)
            lines.append(word[:cut])
            word = word[cut:]
        if word:
            lines.append(word)
    return lines


def code_groups(code, columns):
    # The user code exactly as received, broken only after a separator
    # (the grouping is kept, RFC 8628 6.1) and hard only when a group is
    # longer than a line.
    groups = []
    current = ""
    for ch in code:
        current += ch
        if ch in "- ":
            groups.append(current)
            current = ""
    if current:
        groups.append(current)
    lines = [""]
    for group in groups:
        if len(lines[-1]) + len(group) <= columns:
            lines[-1] += group
        elif len(group) <= columns:
            lines.append(group)
        else:
            for i in range(0, len(group), columns):
                lines.append(group[i:i + columns])
    return [line for line in lines if line]
