# MicroPython side of bench/qr_bench.py: time and allocation of one encoder.
# Run as: micropython qr_bench_mp.py IMPL RUNS  (IMPL: ours_auto, ours_fixed,
# micropython_qr, adafruit_miniqr). Prints one JSON line per payload/level.
#
# Time: median of RUNS encodes, time.ticks_us around the call only.
# Allocation: gc.mem_alloc() after minus before one encode with the GC
# disabled (so nothing is freed in between) = bytes allocated by the encode.
import gc
import json
import sys
import time

PAYLOADS = (
    b"https://auth.example.com/device?user_code=WDJB-MJHT",
    b"https://login.example-idp.com/oauth2/device/verify"
    b"?user_code=WDJB-MJHT&lang=en-US",
)


def make_encoder(impl, level):
    if impl.startswith("ours"):
        from devflow.core import qr
        mask = 0 if impl == "ours_fixed" else None
        ecl = level

        def enc(data):
            m = qr.encode(data, ecl=ecl, mask=mask, boost=False)
            return m.version, m.mask
        return enc
    if impl == "micropython_qr":
        import micropython_qr as mq
        ecl = (mq.ERROR_CORRECT_L, mq.ERROR_CORRECT_M)[level]

        def enc(data):
            # optimize=0: plain byte mode, the same work as ours.
            q = mq.QRCode(error_correction=ecl)
            q.add_data(data, optimize=0)
            q.make()  # automatic version and mask
            return q.version, None
        return enc
    import adafruit_miniqr as aq
    ecl = (aq.L, aq.M)[level]

    def enc(data):
        q = aq.QRCode(error_correct=ecl)
        q.add_data(data)
        q.make(mask_pattern=0)  # it has no automatic mask
        return q.type, 0
    return enc


def measure(enc, data, runs):
    enc(data)  # warm up: imports, lazily built tables
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.ticks_us()
        enc(data)
        times.append(time.ticks_diff(time.ticks_us(), t))
    times.sort()
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    version, mask = enc(data)
    alloc = gc.mem_alloc() - before
    gc.enable()
    return times[len(times) // 2], alloc, version, mask


def main():
    impl, runs = sys.argv[1], int(sys.argv[2])
    for data in PAYLOADS:
        for level in (0, 1):
            us, alloc, version, mask = measure(make_encoder(impl, level), data, runs)
            print(json.dumps({"impl": impl, "bytes": len(data), "level": "LM"[level],
                              "us": us, "alloc": alloc, "version": version,
                              "mask": mask}))


main()
