# QR Code encoder (ISO/IEC 18004:2015), byte mode, versions 1..10.
#
# encode() returns an immutable QRMatrix and draws nothing: rendering is the
# display's job. The work happens in one bytearray of size*size cells, where
# bit 0 is the colour (1 = dark) and bit 1 marks a function module (finder,
# timing, alignment, format, version) that data and masks must not touch.
#
# Choosing the mask is the expensive step: eight candidates, each scored with
# the N1..N4 penalty rules (7.8.3.1). Scoring cell by cell costs tens of
# thousands of bytecodes, so the symbol is packed into integer words, one bit
# per module, and whole lines are scored at once with bitwise operations (see
# _score_lines). Words never exceed _H + 1 bits, so they stay small ints
# (no heap allocation) on 32-bit boards as well as on 64-bit hosts.
#
# As in common practice (segno), a mask is scored with the format and version
# areas (and the dark module beside them) still light, since that information
# depends on the mask chosen.

import sys

from micropython import const

# Error correction levels, as encode() takes them (constants of the API,
# kept as plain globals: the module uses the numbers directly).
ECL_L = 0
ECL_M = 1
ECL_Q = 2
ECL_H = 3

# Group height for packed words: lines are processed in bands of _H modules,
# a multiple of 12 so every band starts in phase with the mask patterns.
# 24 keeps words under 2**30 on 32-bit ports; 48 suits 64-bit small ints.
_H = 48 if sys.maxsize >> 40 else 24

# Table 9: error correction codewords per block at [ecl * 10 + version - 1],
# then the number of blocks 40 bytes on, levels in the order L, M, Q, H (one
# bytes object: one constant to load, not two). Versions stop at 10 (57x57,
# up to 271 bytes): more than any verification URI needs, and each further
# version would cost table bytes on every board.
_EC = const(
    b"\x07\x0a\x0f\x14\x1a\x12\x14\x18\x1e\x12"  # L
    b"\x0a\x10\x1a\x12\x18\x10\x12\x16\x16\x1a"  # M
    b"\x0d\x16\x12\x1a\x12\x18\x12\x16\x14\x18"  # Q
    b"\x11\x1c\x16\x10\x16\x1c\x1a\x1a\x18\x1c"  # H
    # blocks
    b"\x01\x01\x01\x01\x01\x02\x02\x02\x02\x04"  # L
    b"\x01\x01\x01\x02\x02\x04\x04\x04\x05\x05"  # M
    b"\x01\x01\x02\x02\x04\x04\x06\x06\x08\x08"  # Q
    b"\x01\x01\x02\x04\x04\x04\x05\x06\x08\x08"  # H
)

# Masks for a table-free popcount of one word (see _pop), patterns 0101..,
# 0011.. and 00001111.. one nibble wider than the widest word (_H + 1
# bits), so still small ints on 32-bit boards: all ones divided by 3, by 5,
# and by 17 (F0F..F0 r F, so shifted up a nibble with an F below).
_M2 = (1 << _H + 4) - 1
_M1 = _M2 // 3
_M4 = _M2 // 17 << 4 | 15
_M2 //= 5


# Table 10, the data mask conditions (i = row, j = column), as tiles: every
# mask repeats every 6 columns and 12 rows, so _TILE[k * 12 + i % 12] holds
# bit j % 6 of mask k. tests/qr checks this table against the formulas.
_TILE = (
    # 0: (i + j) % 2 == 0
    b"\x15\x2a\x15\x2a\x15\x2a\x15\x2a\x15\x2a\x15\x2a"
    # 1: i % 2 == 0
    b"\x3f\x00\x3f\x00\x3f\x00\x3f\x00\x3f\x00\x3f\x00"
    # 2: j % 3 == 0
    b"\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09\x09"
    # 3: (i + j) % 3 == 0
    b"\x09\x24\x12\x09\x24\x12\x09\x24\x12\x09\x24\x12"
    # 4: (i // 2 + j // 3) % 2 == 0
    b"\x07\x07\x38\x38\x07\x07\x38\x38\x07\x07\x38\x38"
    # 5: i * j % 2 + i * j % 3 == 0
    b"\x3f\x01\x09\x15\x09\x01\x3f\x01\x09\x15\x09\x01"
    # 6: (i * j % 2 + i * j % 3) % 2 == 0
    b"\x3f\x07\x1b\x15\x2d\x31\x3f\x07\x1b\x15\x2d\x31"
    # 7: ((i + j) % 2 + i * j % 3) % 2 == 0
    b"\x15\x38\x31\x2a\x07\x0e\x15\x38\x31\x2a\x07\x0e"
)


class QRMatrix:
    # The finished symbol, read-only by contract. `bits` is bit-packed, one
    # row of (size + 7) // 8 bytes per module row, the leftmost module in
    # the top bit (the layout of framebuf's MONO_HLSB): an eighth of the
    # encoder's cells. The display keeps only bits and size while the code
    # is shown, so this module can leave the heap meanwhile.

    def __init__(self, bits, size, version, ecl, mask):
        self.bits = bits
        self.size = size
        self.version = version
        self.ecl = ecl
        self.mask = mask

    def get(self, x, y):
        # 1 = dark.
        return self.bits[y * ((self.size + 7) >> 3) + (x >> 3)] >> (~x & 7) & 1


def capacity(version, ecl):
    # Bytes of byte-mode data that fit: data codewords minus the mode
    # indicator, the character count (8 bits below version 10, else 16) and
    # the terminator, which together round up to 2 or 3 codewords. Data
    # codewords: all codewords of the version, i.e. the modules left after
    # the function patterns (7.7.1) counted by formula and divided by 8,
    # minus the error correction codewords of all blocks.
    raw = (16 * version + 128) * version + 64
    if version > 1:
        na = version // 7 + 2
        raw -= (25 * na - 10) * na - 55
        if version > 6:
            raw -= 36
    t = ecl * 10 + version - 1
    return (raw >> 3) - _EC[t] * _EC[t + 40] - 2 - (version > 9)


def encode(data, ecl=0, version=None, mask=None, boost=True, scores=None):
    # The symbol of data (bytes; str is encoded as UTF-8). With mask None
    # the best of the eight masks wins; a list passed as `scores` gets their
    # penalties (N1+N2+N3+N4), for tests and tuning.
    if isinstance(data, str):
        data = data.encode()
    if not (0 <= ecl <= 3 and 1 <= (version or 1) <= 10  # versions 1..10
            and 0 <= (mask or 0) <= 7):
        raise ValueError("use ecl 0..3, version 1..10, mask 0..7 or None")
    # Smallest version that holds the data, then the highest level that
    # still fits in it (boost; 3 is ECL_H).
    n = len(data)
    if version is None:
        version = 1
        while version < 10 and capacity(version, ecl) < n:
            version += 1
    cap = capacity(version, ecl)
    if cap < n:
        raise ValueError(
            "data too long for a QR code up to version %d at level %s "
            "(%d bytes, max %d): use a lower level or shorter data"
            % (version, "LMQH"[ecl], n, cap))
    while boost and ecl < 3 and capacity(version, ecl + 1) >= n:
        ecl += 1
    n = version * 4 + 17
    cells = bytearray(n * n)
    _draw_patterns(cells, n, version)
    _place_codewords(cells, n, _codewords(data, version, ecl))
    if mask is None:
        mask = _best_mask(cells, n, scores)
    return QRMatrix(_finish(cells, n, version, ecl, mask), n, version, ecl, mask)


# --- Data codewords and error correction (7.4, 7.5, 7.6) -------------------

def _codewords(data, version, ecl):
    # Data codewords: mode 0100, count (1 byte below version 10, else 2),
    # data, terminator 0000, then pad 0xEC 0x11 (7.4.10). Mode and
    # terminator are 4 bits each: count and data are copied in whole bytes,
    # then shifted right one nibble behind the mode, carrying each low
    # nibble into the next codeword.
    k = 1 + (version > 9)
    nd = capacity(version, ecl) + 1 + k
    dat = bytearray(nd)
    n = len(data)
    dat[k:k + n] = data
    dat[0] = n >> 8  # 0 below version 10, where the next line overwrites it
    dat[k - 1] = n & 0xFF
    carry = 4
    for k in range(k + n + 1):
        b = dat[k]
        dat[k] = carry << 4 | b >> 4
        carry = b & 15
    pad = 0xEC
    for k in range(k + 1, nd):
        dat[k] = pad
        pad ^= 0xFD  # alternates 0xEC and 0x11

    # GF(256) with the QR polynomial x^8+x^4+x^3+x^2+1, as tables built
    # per encode (512 bytes the heap gets back). exp is not doubled (to
    # save a modulo): it runs during the pairing, when the heap is most
    # fragmented, and a 256-byte block is found where 512 may not be.
    exp = bytearray(256)
    log = bytearray(256)
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D

    # Generator polynomial prod (x - a^i), i < ec: coefficients as logs,
    # leading 1 left out.
    t = ecl * 10 + version - 1
    ec, nb = _EC[t], _EC[t + 40]
    gen = bytearray(ec + 1)
    gen[0] = 1
    for i in range(ec):
        for j in range(i + 1, 0, -1):
            c = gen[j - 1]
            gen[j] ^= c and exp[(log[c] + i) % 255]
    for j in range(ec):
        gen[j] = log[gen[j + 1]]

    # Split into blocks (Table 9), add EC, interleave (7.6): the first
    # `short` blocks hold one data codeword less than the others.
    out = bytearray(nd + ec * nb)
    short = nb - nd % nb
    dl = nd // nb
    last = ec - 1
    start = 0
    for b in range(nb):
        length = dl + (b >= short)
        for i in range(length):  # a long block's extra one goes last
            out[i * nb + b - (i == dl) * short] = dat[start + i]
        # Remainder of block(x) * x^ec divided by the generator, by an
        # LFSR: shift one codeword in, subtract factor * generator.
        rem = bytearray(ec)
        for i in range(start, start + length):
            f = dat[i] ^ rem[0]
            lf = log[f]  # f = 0 (no log) makes it a plain shift: f and ... = 0
            for j in range(last):
                rem[j] = rem[j + 1] ^ (f and exp[(lf + gen[j]) % 255])
            rem[last] = f and exp[(lf + gen[last]) % 255]
        for i in range(ec):
            out[nd + i * nb + b] = rem[i]
        start += length
    return out


# --- Function patterns (6.3) -----------------------------------------------

def _fill(cells, n, x0, y0, w, h, v):
    # Rectangle of function modules, clipped to the symbol.
    for y in range(max(y0, 0), min(y0 + h, n)):
        p = y * n
        for x in range(max(x0, 0), min(x0 + w, n)):
            cells[p + x] = v


def _draw_patterns(cells, n, version):
    for k in range(3):
        # Finders top-left, top-right, bottom-left: dark ring, light ring,
        # 3x3 dark core, inside a light separator; drawn as nested squares.
        # The outer square, one module wider towards the symbol's inside,
        # also reserves the format areas (light until the mask is known).
        x = n - 7 if k == 1 else 0
        y = n - 7 if k == 2 else 0
        _fill(cells, n, x - 1, y - 1, 10, 10, 2)
        _fill(cells, n, x, y, 7, 7, 3)
        _fill(cells, n, x + 1, y + 1, 5, 5, 2)
        _fill(cells, n, x + 2, y + 2, 3, 3, 3)
    for i in range(8, n - 8):  # timing patterns: dark on even positions
        cells[6 * n + i] = cells[i * n + 6] = 3 - (i & 1)
    # Alignment centres (Table E.1 follows a rule): na per axis, the first
    # at 6, the last at n-7, the rest evenly spaced by an even step.
    if version > 1:
        na = version // 7 + 2
        last = na - 1
        step = (version * 4 + na * 2 + 1) // (na * 2 - 2) * 2
        for a in range(na):
            cy = n - 7 - (last - a) * step if a else 6
            for b in range(na):
                # Not at (0, 0), (0, last) or (last, 0): a finder is there.
                if a * b or (a + b) % last:
                    cx = n - 7 - (last - b) * step if b else 6
                    _fill(cells, n, cx - 2, cy - 2, 5, 5, 3)
                    _fill(cells, n, cx - 1, cy - 1, 3, 3, 2)
                    cells[cy * n + cx] = 3
    # Version information areas (7.10).
    if version > 6:
        _fill(cells, n, n - 11, 0, 3, 6, 2)
        _fill(cells, n, 0, n - 11, 6, 3, 2)


def _place_codewords(cells, n, cw):
    # 7.7.3: two-module columns from the right, zigzagging up then down,
    # skipping function modules and the vertical timing column. Cells past
    # the last codeword are remainder bits and stay 0.
    k = 0  # bit k of cw, most significant first
    end = 8 * len(cw)
    x = n - 1
    step = -n
    while x > 0:
        if x == 6:
            x = 5
        # Visit right then left module of each row of the column pair.
        p = x + (n - 1) * n if step < 0 else x
        for q in range(2 * n):
            if not cells[p]:
                cells[p] = cw[k >> 3] >> (~k & 7) & 1
                k += 1
                if k == end:
                    return
            p += step + 1 if q & 1 else -1
        step = -step
        x -= 2


# --- Masking and format/version information (7.8, 7.9, 7.10) --------------

def _bch(value, poly, bits):
    # Append the BCH check bits: remainder of value * x^bits by poly, whose
    # degree is `bits` (Annex C for format, Annex D for version).
    r = value << bits
    for i in range(bits + 7, bits - 1, -1):
        if r >> i & 1:
            r ^= poly << (i - bits)
    return value << bits | r


def _finish(cells, n, version, ecl, mask):
    # The symbol bit-packed for QRMatrix: format and version information
    # written (as function modules: bit 1 set), then every module packed,
    # data modules flipped where the mask condition holds.
    #
    # Format information (7.9): 15 bits, BCH protected, XOR
    # 101010000010010, in two copies. Level bits: L 01, M 00, Q 11, H 10.
    f = _bch((ecl ^ 1) << 3 | mask, 0x537, 10) ^ 0x5412
    cells[(n - 8) * n + 8] = 3  # the dark module, reserved until now
    for i in range(15):
        b = f >> i & 1 | 2
        # First copy around the top-left finder, skipping the timing
        # module (row/column 6); second copy split between the other two.
        if i < 8:  # down column 8 from row 0; along row 8 top-right
            cells[(i + (i > 5)) * n + 8] = b
            cells[9 * n - 1 - i] = b  # row 8, from column n-1 leftwards
        else:  # along row 8 leftwards from column 7; column 8 bottom-left
            cells[8 * n + 14 - i + (i < 9)] = b
            cells[(n - 15 + i) * n + 8] = b
    # Version information (7.10), from version 7 on: 18 bits, two copies.
    if version > 6:
        v = _bch(version, 0x1F25, 12)
        for i in range(18):
            b = v >> i & 1 | 2
            a = n - 11 + i % 3
            cells[(i // 3) * n + a] = b
            cells[a * n + i // 3] = b
    w = (n + 7) >> 3
    bits = bytearray(n * w)
    p = 0
    for y in range(n):
        t = _TILE[mask * 12 + y % 12]
        for x in range(n):
            v = cells[p]
            p += 1
            if v & 1 if v & 2 else v ^ t >> x % 6 & 1:
                bits[y * w + (x >> 3)] |= 0x80 >> (x & 7)
    return bits


# --- Mask selection: bit-packed penalty scoring (7.8.3.1) -----------------

def _pop(x):
    # Sum bits in pairs, nibbles, then bytes; x % 255 adds the bytes up
    # (256 = 1 mod 255) and stays exact since the count is below 255.
    x -= x >> 1 & _M1
    x = (x & _M2) + (x >> 2 & _M2)
    return ((x + (x >> 4)) & _M4) % 255


def _score_lines(B, D, P, q0, per, n, hb, own, work):
    # Score n parallel lines at once. Word a holds module a of every line
    # (bit b = line b of the band); B = unmasked colours, D = data modules,
    # P[q0:q0 + per] = mask words, one per position modulo per; q0 is 0
    # for the pass along columns, 12 for the one along rows, which also
    # counts N2. own masks the band's own lines (hb bits wide, with the
    # seam). The masked words are left in work[4:n + 4].
    full = (1 << hb) - 1
    pen = 0
    s2 = s3 = s4 = s5 = 0
    w = B[0] ^ (P[q0] & D[0])
    work[4] = w
    q = q0 + 1
    end = q0 + per
    for a in range(1, n):
        prev = w
        w = B[a] ^ (P[q] & D[a])
        q += 1
        if q == end:
            q = q0
        work[a + 4] = w
        e = ~(w ^ prev) & full  # lines whose module a repeats module a-1
        if q0:
            # N2: 2x2 blocks = equal pairs in two adjacent lines that are
            # equal to each other too.
            v = e & e >> 1 & ~(w ^ w >> 1) & full >> 1
            if v:
                pen += 3 * _pop(v)
        # N1: s<k> marks lines whose current run is at least k long. A run
        # of 5 scores 3, each further module 1.
        e &= own
        p5 = s5
        s5 = s4 & e
        s4 = s3 & e
        s3 = s2 & e
        s2 = e
        if s5:
            pen += _pop(s5) + 2 * _pop(s5 & ~p5)
    # N3: 1011101 with 4 light modules before or after, outside = light
    # (work has 4 zero words of padding at each end).
    for q in range(4, n - 2):
        c = (work[q] & ~work[q + 1] & work[q + 2] & work[q + 3] & work[q + 4]
             & ~work[q + 5] & work[q + 6] & own)
        if c:
            c &= (~(work[q - 4] | work[q - 3] | work[q - 2] | work[q - 1])
                  | ~(work[q + 7] | work[q + 8] | work[q + 9] | work[q + 10]))
            if c:
                pen += 40 * _pop(c)
    return pen


def _bands(cells, n):
    # Per band of _H lines: a mask of its own lines, word width (one extra
    # bit overlaps the next band so N2 sees blocks across the seam), colour
    # words along columns (bh) and rows (bv), and data-module words (d,
    # shared: function patterns are symmetric about the diagonal).
    out = []
    for g0 in range(0, n, _H):
        own = min(_H, n - g0)
        hb = own + (g0 + own < n)
        bh, bv, d = [0] * n, [0] * n, [0] * n
        top = g0 + hb - 1
        for a in range(n):
            # Bit b of a word = module g0+b of column a (bh) or row a (bv,
            # and d: 1 where the module is free for data).
            p = top * n + a
            q = a * n + top
            h = v = f = 0
            for _ in range(hb):
                h = h << 1 | cells[p] & 1
                c = cells[q]
                v = v << 1 | c & 1
                f = f << 1 | (c >> 1 ^ 1)
                p -= n
                q -= 1
            bh[a], bv[a], d[a] = h, v, f
        out.append(((1 << own) - 1, hb, bh, bv, d))
    return out


def _best_mask(cells, n, scores=None):
    # Lowest total penalty wins, ties to the lower mask number. Without
    # `scores` a mask is dropped as soon as its partial sum reaches the best.
    bands = _bands(cells, n)
    work = [0] * (n + 8)
    words = [0] * 18
    best = 1 << 29
    pick = 0
    for k in range(8):
        pen = 0
        dark = 0
        for own, hb, bh, bv, d in bands:
            # Mask k as words of hb bits: along rows (12 of them, by y % 12,
            # period 6 in x), then along columns (6, by x % 6, period 12).
            for t in range(18):
                if t < 12:
                    pat, period = _TILE[k * 12 + t], 6
                else:
                    pat, period = 0, 12
                    for y in range(12):
                        pat |= (_TILE[k * 12 + y] >> (t - 12) & 1) << y
                w = s = 0
                while s < hb:  # repeat, never wider than hb bits
                    w |= (pat & ((1 << (hb - s)) - 1)) << s
                    s += period
                words[t] = w
            pen += _score_lines(bh, d, words, 12, 6, n, hb, own, work)
            pen += _score_lines(bv, d, words, 0, 12, n, hb, own, work)
            # N4 counts dark modules, in the band's own lines of work.
            for a in range(4, n + 4):
                dark += _pop(work[a] & own)
            if pen >= best and scores is None:
                break
        else:
            pen += abs(20 * dark - 10 * n * n) // (n * n) * 10  # N4
            if scores is not None:
                scores.append(pen)
            if pen < best:
                best = pen
                pick = k
    return pick
