# Encode a fixed set of payloads and print each symbol as hex lines, so the
# same output can be compared between MicroPython and CPython. Plain script:
# MicroPython has no pytest. Run with the agent directory on the path:
#   MICROPYPATH=agent micropython tests/qr/mpy_qr_check.py
from devflow.core import qr
from devflow.core.qrfit import fit_qr


def lcg_bytes(seed, n):
    # Same bytes on every interpreter (random differs between them).
    out = bytearray(n)
    for i in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        out[i] = seed >> 16 & 0xFF
    return bytes(out), seed


def cases():
    yield "https://auth.example.com/device?user_code=WDJB-MJHT", 0, None, None
    yield ("https://login.example-idp.com/oauth2/device/verify"
           "?user_code=WDJB-MJHT&lang=en-US"), 1, None, None
    yield "h\u00e9llo", 0, None, 3
    yield b"", 3, None, None
    seed = 1
    for i in range(24):
        ecl = i % 4
        version = 1 + i % 10
        n, seed = seed % (qr.capacity(version, ecl) + 1), seed * 7 + 3
        data, seed = lcg_bytes(seed, n)
        yield data, ecl, version, None


def dump(m):
    print("%d %d %d %d" % (m.size, m.version, m.ecl, m.mask))
    for y in range(m.size):
        bits = 0
        for x in range(m.size):
            bits = bits << 1 | (m.bits[y * ((m.size + 7) >> 3) + (x >> 3)] >> (~x & 7) & 1)
        print("%x" % bits)


def main():
    # One band height on every port (const _H); test_qr_mask varies it.
    for data, ecl, version, mask in cases():
        dump(qr.encode(data, ecl=ecl, version=version, mask=mask))
        scores = []
        qr.encode(data, ecl, version, scores=scores)
        print(scores)
    uris = ["https://login.example-idp.com/oauth2/device/verify"
            "?user_code=WDJB-MJHT&lang=en-US", "https://example.com/device"]
    for w, h in ((128, 64), (240, 240), (82, 82), (60, 60), (320, 240)):
        fit = fit_qr(w, h, uris)
        print(fit and (fit[0].size, fit[1], fit[2], (fit[0].size + 2 * fit[2]) * fit[1]))
    print("done")


main()
