# Structured log lines: one event a line, that host tools can parse.
#
#   devflow: <event> key=value key="value with spaces"
#
# Only non-secret fields may be passed (the user code and verification URIs
# are public: they are shown on the screen; device_code and tokens are not).
# Values are ASCII-escaped so a hostile server cannot inject a line break or
# a terminal escape into the console.

PREFIX = "devflow: "


def _quote(value):
    # One pass that allocates nothing for the usual value (a number, a
    # name, a URL): quotes are added around a space or "=", and only a
    # value with a quote, backslash or non-printable character is rebuilt.
    text = str(value)
    plain = len(text) > 0
    for ch in text:
        o = ord(ch)
        if o < 0x20 or o > 0x7E or ch == '"' or ch == "\\":
            return '"' + _escape(text) + '"'
        if ch == " " or ch == "=":
            plain = False
    return text if plain else '"' + text + '"'


def _escape(text):
    out = []
    for ch in text:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif o < 0x20 or o > 0x7E:
            out.append("\\x%02x" % (o & 0xFF) if o < 0x100 else "\\u%04x" % (o & 0xFFFF))
        else:
            out.append(ch)
    return "".join(out)


def format_line(event, fields=None):
    # Built as one list joined once: a poll's line is the only per-poll
    # string the loop makes.
    parts = [PREFIX, event]
    if fields:
        for key in sorted(fields):
            parts.append(" ")
            parts.append(key)
            parts.append("=")
            parts.append(_quote(fields[key]))
    return "".join(parts)


def parse_line(line):
    # Returns (event, {key: value}) or None for lines that are not ours.
    start = line.find(PREFIX)
    if start < 0:
        return None
    rest = line[start + len(PREFIX):].rstrip("\r\n")
    space = rest.find(" ")
    if space < 0:
        return (rest, {}) if rest else None
    event = rest[:space]
    fields = {}
    i = space + 1
    n = len(rest)
    while i < n:
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip()
        i = eq + 1
        if i < n and rest[i] == '"':
            i += 1
            value = []
            while i < n and rest[i] != '"':
                if rest[i] == "\\" and i + 1 < n:
                    nxt = rest[i + 1]
                    if nxt == "x" and i + 3 < n:
                        value.append(chr(int(rest[i + 2:i + 4], 16)))
                        i += 4
                        continue
                    if nxt == "u" and i + 5 < n:
                        value.append(chr(int(rest[i + 2:i + 6], 16)))
                        i += 6
                        continue
                    value.append(nxt)
                    i += 2
                    continue
                value.append(rest[i])
                i += 1
            i += 2
            fields[key] = "".join(value)
        else:
            end = rest.find(" ", i)
            if end < 0:
                end = n
            fields[key] = rest[i:end]
            i = end + 1
    return event, fields
