# Fit rules: which payload to show as a QR code in a pixel box, how big.
#
# The screen shows the QR next to the user code (never alone), so the box is
# whatever the layout leaves. A module smaller than min_scale pixels does not
# scan reliably on small displays, so we would rather fall back to the short
# verification_uri (and let the user type the code) than draw a QR of
# verification_uri_complete that no phone can read. ISO/IEC 18004 asks for a
# 4-module quiet zone; small screens may go down to `quiet` modules, and the
# screen edge around the box is light anyway.

from devflow.core import qr


def fit_qr(box_w, box_h, candidates, min_scale=2, quiet=2):
    # First candidate (in preference order) whose symbol fits the box at
    # >= min_scale px per module: (matrix, scale, quiet_modules), else None.
    # The symbol's size follows from the payload's length alone, so only
    # the payload that fits is encoded.
    side = min(box_w, box_h)
    for data in candidates:
        if not data:
            continue
        if isinstance(data, str):
            data = data.encode()
        # At level L (0), the one encode() starts from. 11: too long for
        # any QR code, try the next payload.
        version = 1
        while version <= 10 and qr.capacity(version, 0) < len(data):
            version += 1
        size = version * 4 + 17
        # Largest scale that fits with the minimum quiet zone, then as much
        # of the ideal 4 modules as that scale leaves room for.
        scale = side // (size + 2 * quiet)
        if version <= 10 and scale >= min_scale:
            return (qr.encode(data), scale,
                    max(quiet, min(4, (side // scale - size) // 2)))
    return None
