"""A QR code in a terminal: two modules per character cell with half blocks.

segno encodes; this only draws. Each cell is the top module and the bottom
module: "█" both dark, "▀" top dark, "▄" bottom dark, " " neither. With
colour, every line is drawn black on bright white so the code is dark on
light whatever the terminal's theme (phones' scanners want that), with the
4-module quiet zone the standard asks for.
"""

import segno

GLYPHS = {(True, True): "\u2588", (True, False): "\u2580", (False, True): "\u2584", (False, False): " "}
BLACK_ON_WHITE = "\x1b[30;107m"
RESET = "\x1b[0m"
QUIET_ZONE = 4


def matrix(data, border=QUIET_ZONE):
    """Rows of booleans (True = dark), quiet zone included."""
    code = segno.make(data, error="m", micro=False)
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=border)]


def render(data, color=True, border=QUIET_ZONE):
    rows = matrix(data, border)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2]):
        text = "".join(GLYPHS[(t, b)] for t, b in zip(top, bottom))
        lines.append(BLACK_ON_WHITE + text + RESET if color else text)
    return "\n".join(lines)
