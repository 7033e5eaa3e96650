"""What a person sees: panel images, as terminal text or PNG.

A PanelImage is an immutable width x height grid, row-major bytes: 0/1 for
on/off, or 0..255 brightness. Chips produce them (panel_pixels()); this
module only renders them, so goldens compare one plain value.
"""

import os

# OLED-ish: lit pixels a cold white-blue, off pixels black glass.
LIT_RGB = (170, 220, 255)
OFF_RGB = (0, 0, 0)

_HALF_BLOCKS = {(0, 0): " ", (1, 0): "\u2580", (0, 1): "\u2584", (1, 1): "\u2588"}


class PanelImage:
    __slots__ = ("width", "height", "pixels")

    def __init__(self, width, height, pixels):
        if len(pixels) != width * height:
            raise ValueError("need %d pixels, got %d" % (width * height, len(pixels)))
        self.width, self.height, self.pixels = width, height, bytes(pixels)

    @classmethod
    def from_framebuffer(cls, fb, width=None, height=None):
        """Pixels of any FrameBuffer (real or emulated), 0/1 for "set"."""
        width = fb.width if width is None else width
        height = fb.height if height is None else height
        return cls(width, height, bytes(1 if fb.pixel(x, y) else 0
                                        for y in range(height) for x in range(width)))

    def pixel(self, x, y):
        return self.pixels[y * self.width + x]

    def rows(self):
        w = self.width
        return [self.pixels[y * w:(y + 1) * w] for y in range(self.height)]

    def __eq__(self, other):
        return isinstance(other, PanelImage) and (self.width, self.height, self.pixels) == (
            other.width, other.height, other.pixels)

    def __hash__(self):
        return hash((self.width, self.height, self.pixels))

    def __repr__(self):
        return "PanelImage(%d, %d, %d lit)" % (self.width, self.height,
                                                sum(1 for p in self.pixels if p))


def to_text(image):
    """Two pixel rows per line with half blocks, framed by a box border."""
    lines = ["\u250c" + "\u2500" * image.width + "\u2510"]
    for y in range(0, image.height, 2):
        cells = []
        for x in range(image.width):
            top = 1 if image.pixel(x, y) else 0
            bottom = 1 if y + 1 < image.height and image.pixel(x, y + 1) else 0
            cells.append(_HALF_BLOCKS[(top, bottom)])
        lines.append("\u2502" + "".join(cells) + "\u2502")
    lines.append("\u2514" + "\u2500" * image.width + "\u2518")
    return "\n".join(lines)


def _colour(value):
    # 0/1 images are full brightness; 0..255 images scale the lit colour.
    if value <= 1:
        return LIT_RGB if value else OFF_RGB
    return tuple(c * value // 255 for c in LIT_RGB)


def to_pil(image, scale=4):
    from PIL import Image
    img = Image.new("RGB", (image.width, image.height))
    img.putdata([_colour(v) for v in image.pixels])
    # NEAREST keeps every panel pixel a crisp scale x scale square.
    return img.resize((image.width * scale, image.height * scale), Image.NEAREST)


def png_bytes(image, scale=4):
    import io
    out = io.BytesIO()
    to_pil(image, scale).save(out, format="PNG", optimize=False)
    return out.getvalue()


def _write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)   # readers (a browser, a watcher) never see half a file


def save_png(path, image, scale=4):
    _write_atomic(path, png_bytes(image, scale))


def save_png_if_changed(path, image, scale=4):
    """Write the PNG only if its bytes differ from the file; True if written.

    Lets a running emulator refresh a screenshot on every show() without
    rewriting an unchanged file (and waking file watchers)."""
    data = png_bytes(image, scale)
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    _write_atomic(path, data)
    return True
