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
    text = str(value)
    out = []
    plain = len(text) > 0
    for ch in text:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
            plain = False
        elif o < 0x20 or o > 0x7E:
            out.append("\\x%02x" % (o & 0xFF) if o < 0x100 else "\\u%04x" % (o & 0xFFFF))
            plain = False
        else:
            if ch == " " or ch == "=":
                plain = False
            out.append(ch)
    text = "".join(out)
    return text if plain else '"' + text + '"'


def format_line(event, fields=None):
    parts = [PREFIX + event]
    if fields:
        for key in sorted(fields):
            parts.append(key + "=" + _quote(fields[key]))
    return " ".join(parts)


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
