# QR Code encoder (ISO/IEC 18004:2015), byte mode, versions 1..10.
#
# encode() returns an immutable QRMatrix and draws nothing: rendering is the
# display's job. It runs while the pairing is on screen, when the board's
# heap is most fragmented, so every allocation is kept small: the symbol is
# built bit-packed, in two bytearrays of (size + 7) // 8 bytes per row, the
# colours (`bits`, which becomes QRMatrix.bits) and the function modules
# (`fn`: finder, timing, alignment, format, version) that data and masks
# must not touch; no 256-byte GF tables; and functions are kept short
# (each one's bytecode is one heap block as the .mpy loads).
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
#
# Error correction levels are the numbers 0..3 for L, M, Q, H. Tables are
# const() and helpers few: each module global is a slot in the globals
# table, one more heap block to find.

from micropython import const

# Group height for packed words: lines are processed in bands of _H modules,
# a multiple of 12 so every band starts in phase with the mask patterns.
# 24 keeps words (and the popcount masks below) under 2**30, small ints on
# 32-bit boards, and lets the band words live in array("I"): 4 bytes a word
# on 64-bit hosts too, half a list's blocks.
_H = const(24)

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
# 0011.. and 00001111.. one nibble wider than the widest word (_H + 1 = 25
# bits): 28 bits of ones divided by 3, by 5, and by 17 (F0F..F0 r F).
# tests/qr checks them against _H.
_M1 = const(0x5555555)
_M2 = const(0x3333333)
_M4 = const(0xF0F0F0F)

# Version information (7.10, Annex D) of versions 7..10: the version in 6
# bits and its 12 BCH bits. tests/qr checks these against the BCH code.
_VERSION_INFO = const((0x07C94, 0x085BC, 0x09A99, 0x0A4D3))

# Table 10, the data mask conditions (i = row, j = column), as tiles: every
# mask repeats every 6 columns and 12 rows, so _TILE[k * 12 + i % 12] holds
# bit j % 6 of mask k. tests/qr checks this table against the formulas.
_TILE = const(
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

# const() is for the compiler; dropped so the globals table stays at 17
# slots (a table of 23 when the 18th name comes: one more block to find).
del const


class QRMatrix:
    # The finished symbol, read-only by contract. `bits` is bit-packed, one
    # row of (size + 7) // 8 bytes per module row, the leftmost module in
    # the top bit (the layout of framebuf's MONO_HLSB); 1 = dark. The
    # display keeps only bits and size while the code is shown, so this
    # module can leave the heap meanwhile. No accessor methods: every def
    # is heap while the encoder is loaded (tests read bits directly).

    def __init__(self, bits, size, version, ecl, mask):
        self.bits = bits
        self.size = size
        self.version = version
        self.ecl = ecl
        self.mask = mask


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
    # The symbol of data (bytes; str is encoded as UTF-8) at level ecl
    # (0..3: L, M, Q, H). With mask None the best of the eight masks wins; a
    # list passed as `scores` gets their penalties (N1+N2+N3+N4), for tests
    # and tuning.
    if isinstance(data, str):
        data = data.encode()
    if not (0 <= ecl <= 3 and 1 <= (version or 1) <= 10  # versions 1..10
            and 0 <= (mask or 0) <= 7):
        raise ValueError("use ecl 0..3, version 1..10, mask 0..7 or None")
    # Smallest version that holds the data, then the highest level that
    # still fits in it (boost; 3 is H).
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
    w = (n + 7) >> 3
    bits = bytearray(n * w)
    fn = bytearray(n * w)
    _draw_patterns(bits, fn, w, n, version)
    _place_codewords(bits, fn, w, n, _codewords(data, version, ecl))
    if mask is None:
        mask = _best_mask(bits, fn, w, n, scores)
    _finish(bits, fn, w, n, version, ecl, mask)
    return QRMatrix(bits, n, version, ecl, mask)


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
    t = ecl * 10 + version - 1
    return _interleave(dat, _EC[t], _EC[t + 40])


def _generator(ec):
    # The generator polynomial prod (x - a^i), i < ec, over GF(256) with the
    # QR polynomial x^8+x^4+x^3+x^2+1, returned as 8 rows of ec bytes: row
    # b holds its coefficients (leading 1 left out) times 2^b, so a product
    # f * g is the XOR of the rows of f's set bits. Products by shift and
    # add, not exp/log tables: this runs while the pairing is on screen,
    # when the heap is most fragmented, and two 256-byte blocks are often
    # not to be found; rows take 8 * ec bytes (80 at 2-L, 120 at 3-L).
    gen = bytearray(ec + 1)
    gen[0] = 1
    a = 1  # a^i
    for i in range(ec):
        for j in range(i + 1, 0, -1):
            c = gen[j - 1]
            p = 0
            b = a
            while b:  # p = c * a^i
                if b & 1:
                    p ^= c
                c <<= 1
                if c & 0x100:
                    c ^= 0x11D
                b >>= 1
            gen[j] ^= p
        a <<= 1
        if a & 0x100:
            a ^= 0x11D
    rows = bytearray(8 * ec)
    for k in range(8 * ec):
        c = gen[k + 1] if k < ec else rows[k - ec] << 1
        rows[k] = c ^ 0x11D if c & 0x100 else c
    return rows


def _interleave(dat, ec, nb):
    # Split into nb blocks (Table 9), add ec EC codewords to each, interleave
    # (7.6): the first `short` blocks hold one data codeword less than the
    # others.
    rows = _generator(ec)
    nd = len(dat)
    out = bytearray(nd + ec * nb)
    short = nb - nd % nb
    dl = nd // nb
    start = 0
    for b in range(nb):
        length = dl + (b >= short)
        # Remainder of block(x) * x^ec divided by the generator, by long
        # division in place: buf holds the block then ec zeros; each leading
        # codeword f subtracts f * generator from the ec after it.
        buf = bytearray(length + ec)
        for i in range(length):  # a long block's extra one goes last
            out[i * nb + b - (i == dl) * short] = buf[i] = dat[start + i]
        for i in range(length):
            f = buf[i]
            k = -i - 1  # rows[k + j] is row 0's coefficient for buf[j]
            while f:
                if f & 1:
                    for j in range(i + 1, i + 1 + ec):
                        buf[j] ^= rows[k + j]
                f >>= 1
                k += ec
        for i in range(ec):
            out[nd + i * nb + b] = buf[length + i]
        start += length
    return out


# --- Function patterns (6.3) -----------------------------------------------

def _fill(bits, fn, w, n, x0, y0, cw, ch, v):
    # Rectangle of function modules of colour v, clipped to the symbol.
    for y in range(max(y0, 0), min(y0 + ch, n)):
        for x in range(max(x0, 0), min(x0 + cw, n)):
            i = y * w + (x >> 3)
            m = 0x80 >> (x & 7)
            fn[i] |= m
            bits[i] = bits[i] | m if v else bits[i] & ~m


def _draw_patterns(bits, fn, w, n, version):
    for k in range(3):
        # Finders top-left, top-right, bottom-left: dark ring, light ring,
        # 3x3 dark core, inside a light separator; drawn as nested squares.
        # The outer square, one module wider towards the symbol's inside,
        # also reserves the format areas (light until the mask is known).
        x = n - 7 if k == 1 else 0
        y = n - 7 if k == 2 else 0
        # Sides 10, 7, 5, 3; light, dark, light, dark.
        for d in range(-1, 3):
            s = 7 - 2 * d + (d < 0)
            _fill(bits, fn, w, n, x + d, y + d, s, s, d + 1 & 1)
    for i in range(8, n - 8):  # timing patterns: dark on even positions
        _fill(bits, fn, w, n, i, 6, 1, 1, ~i & 1)
        _fill(bits, fn, w, n, 6, i, 1, 1, ~i & 1)
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
                    for d in range(3):
                        _fill(bits, fn, w, n, cx - 2 + d, cy - 2 + d,
                              5 - 2 * d, 5 - 2 * d, ~d & 1)
    # Version information areas (7.10).
    if version > 6:
        _fill(bits, fn, w, n, n - 11, 0, 3, 6, 0)
        _fill(bits, fn, w, n, 0, n - 11, 6, 3, 0)


def _place_codewords(bits, fn, w, n, cw):
    # 7.7.3: two-module columns from the right, zigzagging up then down,
    # skipping function modules and the vertical timing column. Modules
    # past the last codeword are remainder bits and stay light.
    k = 0  # bit k of cw, most significant first
    end = 8 * len(cw)
    x = n - 1
    up = 1
    while x > 0:
        if x == 6:
            x = 5
        for q in range(n):
            y = n - 1 - q if up else q
            for c in range(x, x - 2, -1):  # right module, then left
                i = y * w + (c >> 3)
                m = 0x80 >> (c & 7)
                if not fn[i] & m:
                    if cw[k >> 3] >> (~k & 7) & 1:
                        bits[i] |= m
                    k += 1
                    if k == end:
                        return
        up ^= 1
        x -= 2


# --- Masking and format/version information (7.8, 7.9, 7.10) --------------

def _finish(bits, fn, w, n, version, ecl, mask):
    # Data modules flipped where the mask condition holds, then format and
    # version information written.
    for y in range(n):
        t = _TILE[mask * 12 + y % 12]
        for x in range(n):
            if t >> x % 6 & 1:
                i = y * w + (x >> 3)
                bits[i] ^= 0x80 >> (x & 7) & ~fn[i]
    # Format information (7.9): level bits (L 01, M 00, Q 11, H 10) and
    # mask, 10 BCH bits (Annex C: remainder of value * x^10 by 0x537), XOR
    # 101010000010010, in two copies.
    v = (ecl ^ 1) << 3 | mask
    r = v << 10
    for i in range(14, 9, -1):
        if r >> i & 1:
            r ^= 0x537 << i - 10
    v = (v << 10 | r) ^ 0x5412
    _fill(bits, fn, w, n, 8, n - 8, 1, 1, 1)  # the dark module
    for i in range(15):
        b = v >> i & 1
        # First copy around the top-left finder, skipping the timing
        # module (row/column 6); second copy split between the other two.
        if i < 8:  # down column 8 from row 0; along row 8 top-right
            _fill(bits, fn, w, n, 8, i + (i > 5), 1, 1, b)
            _fill(bits, fn, w, n, n - 1 - i, 8, 1, 1, b)
        else:  # along row 8 leftwards from column 7; column 8 bottom-left
            _fill(bits, fn, w, n, 14 - i + (i < 9), 8, 1, 1, b)
            _fill(bits, fn, w, n, 8, n - 15 + i, 1, 1, b)
    # Version information, from version 7 on: 18 bits, two copies.
    if version > 6:
        v = _VERSION_INFO[version - 7]
        for i in range(18):
            a = n - 11 + i % 3
            _fill(bits, fn, w, n, a, i // 3, 1, 1, v >> i & 1)
            _fill(bits, fn, w, n, i // 3, a, 1, 1, v >> i & 1)


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


def _band(bits, fn, w, n, g0):
    # The band of _H lines from line g0: a mask of its own lines, word width
    # (one extra bit overlaps the next band so N2 sees blocks across the
    # seam), colour words along columns (bh) and rows (bv), and data-module
    # words (d, shared: function patterns are symmetric about the diagonal).
    from array import array

    own = min(_H, n - g0)
    hb = own + (g0 + own < n)
    bh = array("I", range(n))  # every word is written below
    bv = array("I", range(n))
    d = array("I", range(n))
    for a in range(n):
        # Bit b of a word = module g0+b of column a (bh) or row a (bv, and
        # d: 1 where the module is free for data).
        h = v = f = 0
        for y in range(g0 + hb - 1, g0 - 1, -1):
            h = h << 1 | bits[y * w + (a >> 3)] >> (~a & 7) & 1
            i = a * w + (y >> 3)
            s = ~y & 7
            v = v << 1 | bits[i] >> s & 1
            f = f << 1 | (fn[i] >> s & 1 ^ 1)
        bh[a], bv[a], d[a] = h, v, f
    return (1 << own) - 1, hb, bh, bv, d


def _mask_words(k, hb, words):
    # Mask k as words of hb bits: along rows (12 of them, by y % 12, period
    # 6 in x), then along columns (6, by x % 6, period 12).
    for t in range(18):
        if t < 12:
            pat, period = _TILE[k * 12 + t], 6
        else:
            pat, period = 0, 12
            for y in range(12):
                pat |= (_TILE[k * 12 + y] >> (t - 12) & 1) << y
        m = s = 0
        while s < hb:  # repeat, never wider than hb bits
            m |= (pat & ((1 << (hb - s)) - 1)) << s
            s += period
        words[t] = m


def _best_mask(bits, fn, w, n, scores):
    # Lowest total penalty wins, ties to the lower mask number. Bands outer,
    # masks inner, so one band's words are in the heap at a time; pens sums
    # each mask's penalties (at k) and dark modules (at k + 8) over bands.
    from array import array

    work = array("I", range(n + 8))
    for a in range(4):  # padding: light modules beyond both ends
        work[a] = work[n + 4 + a] = 0
    words = array("I", range(18))
    pens = array("I", range(16))
    for k in range(16):
        pens[k] = 0
    for g0 in range(0, n, _H):
        own, hb, bh, bv, d = _band(bits, fn, w, n, g0)
        for k in range(8):
            _mask_words(k, hb, words)
            pens[k] += (_score_lines(bh, d, words, 12, 6, n, hb, own, work)
                        + _score_lines(bv, d, words, 0, 12, n, hb, own, work))
            # N4 counts dark modules, in the band's own lines of work.
            dark = 0
            for a in range(4, n + 4):
                dark += _pop(work[a] & own)
            pens[k + 8] += dark
        bh = bv = d = None  # let the next band reuse the space
    best = 1 << 29
    pick = 0
    for k in range(8):
        pen = pens[k] + abs(20 * pens[k + 8] - 10 * n * n) // (n * n) * 10
        if scores is not None:
            scores.append(pen)
        if pen < best:
            best = pen
            pick = k
    return pick
