# Draws a screen view-model (core/screens.py) on the board's panel.
#
# The panel is any framebuf.FrameBuffer with a show() method (the board
# file provides it). Layout adapts to the panel: wide panels put the QR on
# the left and text on the right, tall ones put the QR on top. When the URL
# cannot share a small panel with the QR, the pairing screen alternates
# between a QR page and a text page, and the user code is on both: the QR is
# never shown alone (RFC 8628 3.3.1).

from devflow.adapters.painter import GLYPH, Painter, code_groups, wrap
from devflow.core import screens
from devflow.core.qrfit import fit_qr
from devflow.core.ticks import ticks_diff

PAGE_MS = 6000
LINE_GAP = 2


class Palette:
    def __init__(self, bg, fg, accent, qr_light, qr_dark):
        self.bg = bg
        self.fg = fg
        self.accent = accent
        self.qr_light = qr_light
        self.qr_dark = qr_dark


MONO = Palette(0, 1, 1, 1, 0)
# RGB565: black, white, a warm amber for the code.
COLOUR = Palette(0x0000, 0xFFFF, 0xFD20, 0xFFFF, 0x0000)


class Display:
    def __init__(self, panel, width, height, palette=MONO):
        self.panel = panel
        self.width = width
        self.height = height
        self.palette = palette
        self.painter = Painter(panel, width, height)
        # Text is drawn larger on big panels so it reads from a sofa.
        self.base = 1 if width < 300 else (2 if width < 600 else 3)
        self._qr_key = None
        self._qr = None
        self._fit_screen = None  # the screen self._fits was chosen for
        self._fits = {}          # (width, height, with_url) -> (scale, labels)

    def draw(self, screen, now):
        self.panel.fill(self.palette.bg)
        if screen.kind == screens.PAIRING:
            self._pairing(screen, now)
        else:
            # Off the pairing page the QR matrix and layout are garbage:
            # let them go instead of holding them for the board's lifetime.
            self._qr_key = self._qr = self._fit_screen = None
            self._message(screen)
        self.panel.show()

    # -- pairing -----------------------------------------------------------

    def _qr_fit(self, screen, box_w, box_h):
        key = (screen.uri_complete, screen.uri, box_w, box_h)
        if key != self._qr_key:
            self._qr_key = key
            # Small panels get a 2-module quiet zone; fit_qr uses 4 where
            # there is room.
            self._qr = fit_qr(box_w, box_h, [u for u in (screen.uri_complete, screen.uri) if u],
                              2, 2)
        return self._qr

    def _qr_box(self):
        w, h = self.width, self.height
        if h > w:
            return 0, 0, w, w, 0, w, w, h - w          # QR on top, text below
        # QR left, text right. The text column keeps room for ten
        # characters where the panel allows (a 320x240 panel would otherwise
        # give the QR 240 px and leave the URL four letters a line), but the
        # QR never gets less than half the width.
        text_min = 10 * GLYPH * self.base
        side = min(h, max(w - text_min, w // 2))
        return 0, (h - side) // 2, side, side, side, 0, w - side, h

    def _pairing(self, screen, now):
        qx, qy, qw, qh, tx, ty, tw, th = self._qr_box()
        fit = self._qr_fit(screen, qw, qh)
        if fit is not None:
            tw -= 2   # a gap between the QR and the text
            lines = self._fit_lines(screen, now, tw, th, True)
            if lines is None and (ticks_diff(now, screen.deadline) // PAGE_MS) % 2 == 0:
                # Small panel, page one: the QR with the code beside it.
                lines = self._fit_lines(screen, now, tw, th, False)
            if lines is not None:
                self._draw_qr(fit, qx, qy, qw, qh)
                self._draw_lines(lines, tx + 2, ty, th)
                return
        # Page two, or no QR fits at all: the URL as text, with the code.
        lines = self._fit_lines(screen, now, self.width, self.height, True)
        if lines is None:
            lines = self._pairing_lines(screen, now, self.width, True, 1, False)
        self._draw_lines(lines, 0, 0, self.height)

    def _draw_qr(self, fit, x, y, w, h):
        matrix, scale, quiet = fit
        side = (matrix.size + 2 * quiet) * scale
        self.painter.qr(matrix, x + (w - side) // 2, y + (h - side) // 2, scale, quiet,
                        self.palette.qr_light, self.palette.qr_dark)

    def _fit_lines(self, screen, now, width, height, with_url):
        # The lines of the pairing page in this box, or None when nothing
        # fits. Which scale and labels fit does not depend on the countdown,
        # so it is chosen once per screen and box: the redraw every second
        # then builds one set of lines instead of trying up to twelve.
        if self._fit_screen is not screen:
            self._fit_screen = screen
            self._fits = {}
        key = (width, height, with_url)
        choice = self._fits.get(key, False)
        if choice is False:
            scale, labels, lines = self._choose(screen, now, width, height, with_url)
            self._fits[key] = None if lines is None else (scale, labels)
            return lines
        if choice is None:
            return None
        return self._pairing_lines(screen, now, width, with_url, choice[0], choice[1])

    def _choose(self, screen, now, width, height, with_url):
        # The biggest code that lets everything fit; labels go first when
        # space is short. -> (scale, labels, lines); lines None if nothing fits.
        for labels in (True, False):
            for scale in (6, 5, 4, 3, 2, 1):
                if scale * GLYPH * 4 > width and scale > 1:
                    continue
                groups = code_groups(screen.user_code, max(1, width // (GLYPH * scale)))
                if len(groups) > 2 and scale > 1:
                    continue
                lines = self._pairing_lines(screen, now, width, with_url, scale, labels)
                if self._height(lines) <= height:
                    return scale, labels, lines
        return 0, False, None

    def _pairing_lines(self, screen, now, width, with_url, scale, labels):
        base = self.base
        cols = max(1, width // (GLYPH * base))
        pal = self.palette
        lines = []
        if with_url:
            if labels:
                lines.append(("Go to", base, pal.fg))
            for part in wrap(screen.uri, cols):
                lines.append((part, base, pal.fg))
        if labels:
            lines.append(("Code", base, pal.fg))
        for part in code_groups(screen.user_code, max(1, width // (GLYPH * scale))):
            lines.append((part, scale, pal.accent))
        left = ticks_diff(screen.deadline, now) // 1000
        if left < 0:
            left = 0
        countdown = "%d:%02d" % (left // 60, left % 60)
        lines.append((countdown + " left" if cols >= len(countdown) + 5 else countdown, base, pal.fg))
        if screen.status:
            for part in wrap(screen.status, cols):
                lines.append((part, base, pal.fg))
        return lines

    # -- everything else -----------------------------------------------------

    def _message(self, screen):
        base = self.base
        pal = self.palette
        cols = max(1, self.width // (GLYPH * base))
        title_scale = base * 2 if len(screen.title) * GLYPH * base * 2 <= self.width else base
        lines = [(screen.title, title_scale, pal.accent)]
        for text in screen.lines + ((screen.status,) if screen.status else ()):
            for part in wrap(text, cols):
                lines.append((part, base, pal.fg))
        self._draw_lines(lines, 0, 0, self.height)

    def _height(self, lines):
        return sum(GLYPH * scale + LINE_GAP for _, scale, _ in lines)

    def _draw_lines(self, lines, x, y, height):
        # Centred vertically in the area; lines that do not fit are dropped
        # from the bottom (the code and countdown come first in importance
        # only on the pairing page, which is built to fit).
        bottom = y + height
        total = self._height(lines)
        if total < height:
            y += (height - total) // 2
        for text, scale, color in lines:
            if y + GLYPH * scale > bottom and y > 0:
                break
            self.painter.text(text, x, y, color, scale)
            y += GLYPH * scale + LINE_GAP
