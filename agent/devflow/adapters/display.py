# Draws a screen view-model (core/screens.py: a tuple read by the indexes
# there) on the board's panel.
#
# The panel is any framebuf.FrameBuffer with a show() method (the board
# file provides it). Layout adapts to the panel: wide panels put the QR on
# the left and text on the right, tall ones put the QR on top. When the URL
# cannot share a small panel with the QR, the pairing screen alternates
# between a QR page and a text page, and the user code is on both: the QR is
# never shown alone (RFC 8628 3.3.1).
#
# The pairing screen is redrawn every second for its countdown, so a redraw
# allocates almost nothing: the QR is encoded once per URI and kept, lines
# are spans of the screen's strings (see painter), and the layout is found
# by dry runs of the same code that draws, which only add up line heights.

from devflow.adapters import painter
from devflow.core import screens, ticks

# Colours (background, text, user code, QR light, QR dark); lines are
# drawn in palette index 1 (text) or 2 (the user code). The QR is drawn
# dark on light: on an OLED light is lit.
MONO = (0, 1, 1, 1, 0)
# RGB565: black, white, a warm amber for the code.
COLOUR = (0x0000, 0xFFFF, 0xFD20, 0xFFFF, 0x0000)


class Display:
    def __init__(self, panel, width, height, palette=MONO):
        self.panel = panel
        self.width = width
        self.height = height
        self.palette = palette
        # Text is drawn larger on big panels so it reads from a sofa.
        self.base = 1 + (width >= 300) + (width >= 600)  # 1, 2 or 3
        self._qr = None   # (uri_complete, uri, fit) of the pairing screen
        # _lines sets the rest of its state before use: _y, where the next
        # line goes; _bottom; _code_lines, the lines the user code took.

    def draw(self, screen, now):
        # One method lays out both the pairing page and the others, ending
        # in one _lines call: every method is some 150 bytes of heap for
        # the board's whole life.
        self.panel.fill(self.palette[0])
        # (Plain assignments: unpacking more than three values builds a tuple.)
        w = tw = self.width
        h = th = self.height
        x = y = how = 0
        left = None
        if screen[screens.KIND] != screens.PAIRING:
            # Off the pairing page the QR is garbage: let it go instead of
            # holding it for the board's lifetime.
            self._qr = None
        else:
            if h > w:  # QR on top, text below
                side = ty = w
                qy = tx = 0
                th = h - w
            else:
                # QR left, text right. The text column keeps room for ten
                # characters where the panel allows (a 320x240 panel would
                # otherwise give the QR 240 px and leave the URL four
                # letters a line), but the QR never gets less than half the
                # width.
                side = tx = min(h, max(w - 80 * self.base, w // 2))
                qy = (h - side) // 2
                ty = 0
                tw = w - side
            left = "%d:%02d" % divmod(max(0, ticks.ticks_diff(screen[screens.DEADLINE], now) // 1000), 60)
            q = self._qr
            if q is None or q[0] != screen[screens.COMPLETE] or q[1] != screen[screens.URI]:
                # Encoded once per URI, not on every redraw. Small panels
                # get a 2-module quiet zone (fit_qr's default), big ones up
                # to 4. The encoder is imported here, not at the top, and
                # only plain data is kept (the packed rows, the size, scale
                # and quiet zone), so app.py can drop the encoder from the
                # heap between codes.
                from devflow.core import qrfit
                q = (screen[screens.COMPLETE], screen[screens.URI])
                fit = qrfit.fit_qr(side, side, q)
                if fit is not None:
                    fit = (fit[0].bits, fit[0].size, fit[1], fit[2])
                q = self._qr = q + (fit,)
            fit = q[2]
            if fit is not None:
                tw -= 2  # a gap between the QR and the text
                # 1 = with the URL; on a small panel page one (of two, 6 s
                # each) drops it.
                how = self._choose(screen, left, tw, th, 1)
                if not how and (ticks.ticks_diff(now, screen[screens.DEADLINE]) // 6000) % 2 == 0:
                    how = self._choose(screen, left, tw, th, 0)
            if how:
                pal = self.palette
                painter.qr(self.panel, fit, 0, qy, side, pal[3], pal[4])
                x = tx + 2
                y = ty
                w = tw
                h = th
            else:
                # Page two, or no QR fits at all: the URL as text, with the
                # code.
                how = self._choose(screen, left, w, h, 1) or 5
        self._lines(screen, left, x, y, w, h, how)
        self.panel.show()

    def _choose(self, screen, left, width, height, url):
        # The biggest code that lets everything fit, in at most two lines
        # when it is enlarged; labels go first when space is short.
        # -> how = scale << 2 | labels << 1 | url, 0 if nothing fits.
        for labels in (2, 0):
            for scale in range(6, 0, -1):
                how = scale << 2 | labels | url
                if (self._lines(screen, left, 0, 0, width, None, how) <= height
                        and (scale == 1 or (scale * 32 <= width and self._code_lines <= 2))):
                    return how
        return 0

    # -- lines ---------------------------------------------------------------

    def _lines(self, screen, left, x, y, width, height, how):
        # The screen's lines in the area at (x, y), width wide. height None:
        # a dry run that only adds up their height (returned). Else they
        # are drawn centred vertically in height, and lines that do not fit
        # are dropped from the bottom (the code and countdown come first in
        # importance only on the pairing page, which is built to fit).
        # Labels and the title are paragraphs of one line (99 columns:
        # never broken).
        if height is not None:
            total = self._lines(screen, left, x, 0, width, None, how)
            if total < height:
                y += (height - total) // 2
            height += y  # now the bottom
        self._bottom = height
        self._y = y
        base = self.base
        cols = width // (8 * base)  # _para makes it at least 1
        if left is None:  # any screen but pairing: a title, then text
            title = screen[screens.TITLE]
            self._para(title, 99, False, x, base * 2 if len(title) * 16 * base <= self.width else base, 2)
            for line in screen[screens.LINES]:
                self._para(line, cols, False, x, base, 1)
        else:
            scale = how >> 2
            if how & 1:
                if how & 2:
                    self._para("Go to", 99, False, x, base, 1)
                self._para(screen[screens.URI], cols, False, x, base, 1)
            if how & 2:
                self._para("Code", 99, False, x, base, 1)
            self._code_lines = self._para(screen[screens.CODE], width // (8 * scale), True, x, scale, 2)
            if height is not None and cols >= len(left) + 5:
                left += " left"
            self._para(left, 99, False, x, base, 1)
        if screen[screens.STATUS]:
            self._para(screen[screens.STATUS], cols, False, x, base, 1)
        return self._y - y

    def _para(self, s, cols, code, x, scale, color):
        # s broken into lines of cols characters, each drawn at the current
        # y in palette colour `color`; returns how many lines. Once one
        # does not fit above bottom, neither does any line after it. Text
        # lines drop the spaces they broke at; a code keeps every character.
        cols = max(1, cols)
        n = i = 0
        while True:
            if not code:
                while s.startswith(" ", i):
                    i += 1
            if i >= len(s):
                return n
            e = painter.line_end(s, i, cols, code)
            y = self._y
            if self._bottom is not None:
                if y + 8 * scale > self._bottom and y > 0:
                    y = 99999  # below any panel: the lines after it are dropped
                else:
                    painter.text(self.panel, s, i, e, x, y, self.palette[color], scale)
            self._y = y + 8 * scale + 2  # 2 px between lines
            i = e
            n += 1
