"""The agent's structured log lines, read back on the host.

    devflow: <event> key=value key="value with spaces" key="esc\\x1b"

The inverse of format_line in agent/devflow/core/logline.py (which stays on
the board: only host tools and tests parse, so the parser ships no bytes to
the board). tests/serial/test_units.py checks that the two agree.
"""

PREFIX = "devflow: "  # as agent/devflow/core/logline.py


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
