# Structured log lines: one event a line, that host tools can parse
# (host_tools/logparse.py reads them back; the board never does).
#
#   devflow: <event> key=value key="value with spaces"
#
# Only non-secret fields may be passed (the user code and verification URIs
# are public: they are shown on the screen; device_code and tokens are not).
# Values are ASCII-escaped so a hostile server cannot inject a line break or
# a terminal escape into the console.


def format_line(event, fields=None):
    # Built as one list joined once: a poll's line is the only per-poll
    # string the loop makes.
    parts = ["devflow: ", event]
    for key in sorted(fields or ()):
        # One pass over the value's bytes (iterating a str would intern each
        # character as a name, for good, on MicroPython): quotes are added
        # around a space or "=", and only a value with a quote, backslash
        # or non-printable character is rebuilt.
        text = str(fields[key])
        quoted = not text
        for o in text.encode():
            if o < 0x20 or o > 0x7E or o == 34 or o == 92:
                out = []
                for c in text:
                    o = ord(c)
                    if c == '"' or c == "\\":
                        c = "\\" + c
                    elif o < 0x20 or o > 0x7E:
                        c = "\\x%02x" % o if o < 0x100 else "\\u%04x" % (o & 0xFFFF)
                    out.append(c)
                text = "".join(out)
                quoted = True
                break
            if o == 32 or o == 61:   # " " or "="
                quoted = True
        # The value goes in as it is, between its pieces: concatenating
        # them first would copy it once more, only to be joined again.
        parts.append(" ")
        parts.append(key)
        parts.append('="' if quoted else "=")
        parts.append(text)
        if quoted:
            parts.append('"')
    return "".join(parts)
