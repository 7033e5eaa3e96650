# Reading an application/x-www-form-urlencoded answer (GitHub's), for both
# runtimes (MicroPython has no urllib). body.py imports this module only
# when such an answer comes: a JSON provider never loads it. (Encoding is
# requests.py's: the requests it builds are the only form text we send.)


def unquote(text):
    data = text.replace("+", " ").encode("utf-8")
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == 0x25 and i + 2 < n:
            try:
                out.append(int(data[i + 1:i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(b)
        i += 1
    return out.decode("utf-8")


def decode(body):
    # Returns a dict; a repeated name keeps its last value (deterministic, as
    # the JSON parsers of both runtimes do with duplicate keys).
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    result = {}
    for part in text.split("&"):
        if part:
            eq = part.find("=")
            if eq < 0:
                result[unquote(part)] = ""
            else:
                result[unquote(part[:eq])] = unquote(part[eq + 1:])
    return result
