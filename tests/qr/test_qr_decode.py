# What a phone sees: render to PNG and read it back with a real decoder.
import io

import pytest
from PIL import Image

zxingcpp = pytest.importorskip("zxingcpp")

from devflow.core import qr  # noqa: E402
from qr_reference import module  # noqa: E402
from devflow.core.qrfit import fit_qr  # noqa: E402
from qr_reference import qr_box  # noqa: E402

PAYLOADS = [
    "https://auth.example.com/device?user_code=WDJB-MJHT",
    "https://login.example-idp.com/oauth2/device/verify"
    "?user_code=WDJB-MJHT&lang=en-US",
    "https://example.com/activate",
    "x" * 230,  # version 10 at level L
]


def render(m, scale, quiet):
    side = qr_box(m, scale, quiet)
    img = Image.new("L", (side, side), 255)
    px = img.load()
    for y in range(m.size):
        for x in range(m.size):
            if module(m, x, y):
                for dy in range(scale):
                    for dx in range(scale):
                        px[(x + quiet) * scale + dx, (y + quiet) * scale + dy] = 0
    buf = io.BytesIO()
    img.save(buf, "PNG")  # through a real PNG, as a screenshot would be
    return Image.open(io.BytesIO(buf.getvalue()))


def decode(img):
    return [r.text for r in zxingcpp.read_barcodes(img)]


@pytest.mark.parametrize("scale", [2, 3, 4])
@pytest.mark.parametrize("data", PAYLOADS)
def test_decodes(data, scale):
    m = qr.encode(data)
    assert decode(render(m, scale, 4)) == [data]


@pytest.mark.parametrize("mask", range(8))
def test_every_mask_decodes(mask):
    m = qr.encode(PAYLOADS[1], ecl=1, mask=mask)
    assert decode(render(m, 3, 4)) == [PAYLOADS[1]]


def test_fitted_symbol_decodes():
    m, scale, quiet = fit_qr(128, 128, PAYLOADS[:2])
    assert decode(render(m, scale, quiet)) == [PAYLOADS[0]]
