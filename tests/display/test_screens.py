"""What a person sees: every screen drawn on the emulated framebuf of each
panel size, compared with goldens (text art, one character a pixel), and
the QR read back with zxing-cpp at the panel's real pixel size."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "agent"))

from host_tools.emulator import install_board_modules  # noqa: E402

install_board_modules()

import framebuf  # noqa: E402  (the emulated one, pixel-exact with MicroPython's)
from PIL import Image  # noqa: E402

from devflow.adapters.display import COLOUR, MONO, Display  # noqa: E402
from devflow.core import screens  # noqa: E402

GOLDENS = Path(__file__).parent / "goldens"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"

PANELS = {  # name: (width, height, colour)
    "128x64": (128, 64, False),
    "135x240": (135, 240, True),
    "240x135": (240, 135, True),
    "320x240": (320, 240, True),
    "480x270": (480, 270, True),
}

COMPLETE = "https://auth.example.com/device?user_code=WDJB-MJHT"
SHORT = "https://auth.example.com/device"


class Panel(framebuf.FrameBuffer):
    def __init__(self, width, height, colour):
        self.width, self.height, self.colour = width, height, colour
        fmt, size = (framebuf.RGB565, width * height * 2) if colour else (
            framebuf.MONO_VLSB, width * ((height + 7) // 8))
        self.buffer = bytearray(size)
        super().__init__(self.buffer, width, height, fmt)

    def show(self):
        pass

    def image(self):
        img = Image.new("L", (self.width, self.height))
        # Any non-black pixel is "lit": enough for goldens and for decoding.
        img.putdata([255 if self.pixel(x, y) else 0 for y in range(self.height) for x in range(self.width)])
        return img

    def ascii(self):
        return "\n".join("".join("#" if self.pixel(x, y) else "." for x in range(self.width))
                         for y in range(self.height)) + "\n"


def pairing(uri_complete=COMPLETE, uri=SHORT, code="WDJB-MJHT", message=None):
    return screens.pairing(code, uri, uri_complete, message, 600000)


def draw(panel_name, screen, now=0):
    w, h, colour = PANELS[panel_name]
    panel = Panel(w, h, colour)
    Display(panel, w, h, COLOUR if colour else MONO).draw(screen, now)
    return panel


def qr_texts(image):
    # Through a PNG file at 1:1, the panel's real pixel size.
    import io

    import zxingcpp
    png = io.BytesIO()
    image.save(png, format="PNG")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))]


SCREENS = {
    "pairing": lambda: pairing(),
    "pairing_text_page": None,   # drawn at now=6000 below
    "connected": lambda: screens.make("connected", "Alice Example"),
    "denied": lambda: screens.make("denied"),
    "expired": lambda: screens.make("expired"),
    "needs_auth": lambda: screens.make("needs_auth", "Sign-in ended by the server"),
    "network": lambda: screens.make("network", "dns", "Retrying in 20 s"),
    "config_error": lambda: screens.make("config_error", "config key 'client_id' is missing"),
}


@pytest.mark.parametrize("panel_name", sorted(PANELS))
@pytest.mark.parametrize("screen_name", sorted(SCREENS))
def test_screen_matches_golden(panel_name, screen_name):
    if screen_name == "pairing_text_page":
        panel = draw(panel_name, pairing(), now=6000)
    else:
        panel = draw(panel_name, SCREENS[screen_name]())
    golden = GOLDENS / f"{panel_name}_{screen_name}.txt"
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"missing golden {golden.name}: run with UPDATE_GOLDENS=1 and review it")
        golden.write_text(panel.ascii())
    assert panel.ascii() == golden.read_text()


@pytest.mark.parametrize("panel_name", sorted(PANELS))
def test_qr_reads_back_at_real_pixel_size(panel_name):
    texts = qr_texts(draw(panel_name, pairing()).image())
    # The complete URI needs version 3 (29 modules): at 2 px a module with
    # a 2-module quiet zone that is 66 px, more than a 64-px tall panel.
    expected = SHORT if panel_name == "128x64" else COMPLETE
    assert texts == [expected]


@pytest.mark.parametrize("panel_name", sorted(PANELS))
def test_without_complete_uri_the_qr_is_the_short_uri(panel_name):
    assert qr_texts(draw(panel_name, pairing(uri_complete=None)).image()) == [SHORT]


def test_no_qr_when_nothing_fits_and_the_url_is_text():
    long_uri = "https://login.example-idp.com/oauth2/device/verify/" + "x" * 60
    panel = draw("128x64", pairing(uri_complete=None, uri=long_uri))
    assert qr_texts(panel.image()) == []
    assert panel.ascii().count("#") > 0


def test_the_code_is_always_on_screen_with_the_qr():
    # The QR is never shown alone: the code's pixels are there beside it.
    for panel_name in PANELS:
        w, h, colour = PANELS[panel_name]
        with_code = draw(panel_name, pairing()).ascii()
        without = draw(panel_name, pairing(code="-")).ascii()
        assert with_code != without
