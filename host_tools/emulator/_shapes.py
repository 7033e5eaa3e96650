"""The larger framebuf algorithms: ellipse, poly, scroll, blit.

Kept apart from framebuf.py so each file stays short. Each function mirrors
the integer steps of MicroPython's extmod/modframebuf.c, because the point
of the emulator is that a picture drawn here is byte-identical to the one a
board draws (checked by tests/emulator/test_emu_framebuf_fidelity.py).
"""

_FILL = 0x10
_Q1, _Q2, _Q3, _Q4, _QALL = 1, 2, 4, 8, 15


def cdiv(a, b):
    """C integer division (truncates toward zero), used by poly fill."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def draw_line(fb, x1, y1, x2, y2, c):
    # Bresenham exactly as modframebuf.c: the end point is drawn separately,
    # and the direction (x1,y1 -> x2,y2) changes which pixels are chosen.
    dx, sx = (x2 - x1, 1) if x2 - x1 > 0 else (x1 - x2, -1)
    dy, sy = (y2 - y1, 1) if y2 - y1 > 0 else (y1 - y2, -1)
    steep = dy > dx
    if steep:
        x1, y1, dx, dy, sx, sy = y1, x1, dy, dx, sy, sx
    e = 2 * dy - dx
    for _ in range(dx):
        if steep:
            fb._set_checked(y1, x1, c)
        else:
            fb._set_checked(x1, y1, c)
        while e >= 0:
            y1 += sy
            e -= 2 * dx
        x1 += sx
        e += 2 * dy
    fb._set_checked(x2, y2, c)


def _ellipse_points(fb, cx, cy, x, y, c, mask):
    if mask & _FILL:
        # Filled quadrants are horizontal spans from the centre outwards.
        if mask & _Q1:
            fb._fill_clipped(cx, cy - y, x + 1, 1, c)
        if mask & _Q2:
            fb._fill_clipped(cx - x, cy - y, x + 1, 1, c)
        if mask & _Q3:
            fb._fill_clipped(cx - x, cy + y, x + 1, 1, c)
        if mask & _Q4:
            fb._fill_clipped(cx, cy + y, x + 1, 1, c)
        return
    if mask & _Q1:
        fb._set_checked(cx + x, cy - y, c)
    if mask & _Q2:
        fb._set_checked(cx - x, cy - y, c)
    if mask & _Q3:
        fb._set_checked(cx - x, cy + y, c)
    if mask & _Q4:
        fb._set_checked(cx + x, cy + y, c)


def draw_ellipse(fb, cx, cy, a, b, c, mask):
    """Midpoint ellipse in two arcs (slope above and below -1)."""
    if a == 0 and b == 0:
        if mask & _QALL:
            fb._set_checked(cx, cy, c)
        return
    two_a2, two_b2 = 2 * a * a, 2 * b * b
    x, y = a, 0
    xchange, ychange = b * b * (1 - 2 * a), a * a
    err, stop_x, stop_y = 0, two_b2 * a, 0
    while stop_x >= stop_y:
        _ellipse_points(fb, cx, cy, x, y, c, mask)
        y += 1
        stop_y += two_a2
        err += ychange
        ychange += two_a2
        if 2 * err + xchange > 0:
            x -= 1
            stop_x -= two_b2
            err += xchange
            xchange += two_b2
    x, y = 0, b
    xchange, ychange = b * b, a * a * (1 - 2 * b)
    err, stop_x, stop_y = 0, 0, two_a2 * b
    while stop_x <= stop_y:
        _ellipse_points(fb, cx, cy, x, y, c, mask)
        x += 1
        stop_x += two_b2
        err += xchange
        xchange += two_b2
        if 2 * err + ychange > 0:
            y -= 1
            stop_y -= two_a2
            err += ychange
            ychange += two_a2


def _poly_edges(coords):
    """Edges in C's order: v0 -> v[n-1] -> v[n-2] ... -> v0.

    The order matters: Bresenham is not symmetric, so drawing an edge the
    other way round can pick different pixels.
    """
    n = len(coords) // 2
    px1, py1 = coords[0], coords[1]
    for k in range(n - 1, -1, -1):
        px2, py2 = coords[2 * k], coords[2 * k + 1]
        yield px1, py1, px2, py2
        px1, py1 = px2, py2


def draw_poly(fb, x, y, coords, c, fill):
    if len(coords) // 2 == 0:
        return
    if not fill:
        for px1, py1, px2, py2 in _poly_edges(coords):
            draw_line(fb, x + px1, y + py1, x + px2, y + py2, c)
        return
    ys = coords[1:len(coords) // 2 * 2:2]
    for row in range(min(ys), max(ys) + 1):
        nodes = _scanline_nodes(fb, x, y, coords, c, row)
        nodes.sort()
        for i in range(0, len(nodes) - 1, 2):
            fb._fill_clipped(x + nodes[i], y + row, nodes[i + 1] - nodes[i] + 1, 1, c)


def _scanline_nodes(fb, x, y, coords, c, row):
    """x crossings of one scan line (alienryderflex.com/polygon_fill).

    An edge's bottom pixel is left out so a shared vertex is not counted
    twice; the pixels that rule misses at local minima and on horizontal
    edges are drawn directly, as MicroPython does.
    """
    nodes = []
    for px1, py1, px2, py2 in _poly_edges(coords):
        if py1 != py2 and ((py1 > row >= py2) or (py1 <= row < py2)):
            step = cdiv(32 * (px2 - px1) * (row - py1), py2 - py1)
            nodes.append(cdiv(32 * px1 + step + 16, 32))
        elif row == max(py1, py2):
            if py1 < py2:
                fb._set_checked(x + px2, y + py2, c)
            elif py2 < py1:
                fb._set_checked(x + px1, y + py1, c)
            else:
                draw_line(fb, x + px1, y + py1, x + px2, y + py2, c)
    return nodes


def scroll(fb, xstep, ystep):
    """Shift the picture; the uncovered band keeps its old pixels."""
    if xstep < 0:
        sx, xend, dx = 0, fb.width + xstep, 1
        if xend <= 0:
            return
    else:
        sx, xend, dx = fb.width - 1, xstep - 1, -1
        if xend >= sx:
            return
    if ystep < 0:
        y, yend, dy = 0, fb.height + ystep, 1
        if yend <= 0:
            return
    else:
        y, yend, dy = fb.height - 1, ystep - 1, -1
        if yend >= y:
            return
    get, put = fb._get, fb._set
    while y != yend:
        for x in range(sx, xend, dx):
            put(x, y, get(x - xstep, y - ystep))
        y += dy


def blit(fb, src, x, y, key, palette):
    if x >= fb.width or y >= fb.height or -x >= src.width or -y >= src.height:
        return
    # C compares the colour as uint32 against (uint32_t)key, so key=-1
    # never matches a real colour.
    key &= 0xFFFFFFFF
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = max(0, -x), max(0, -y)
    x0end, y0end = min(fb.width, x + src.width), min(fb.height, y + src.height)
    for ty in range(y0, y0end):
        sxx = x1
        for tx in range(x0, x0end):
            col = src._get(sxx, y1)
            if palette is not None:
                col = palette._get(col, 0)
            if col != key:
                fb._set(tx, ty, col)
            sxx += 1
        y1 += 1
