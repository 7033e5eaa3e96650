# HTTP/1.1 message syntax for the http adapter, with no I/O (RFC 9112).
#
# Everything here is a pure function over str/bytes so it can be tested
# without a socket: URL splitting, the loopback rule for plain http, the
# request head, the status line, header lines, chunk-size lines and the
# rule that decides how a response body is delimited (RFC 9112 6.3).
#
# A malformed URL or header supplied by our caller is a ConfigError (we were
# misused); a malformed line from the server is NetworkError(BAD_RESPONSE).
# Error texts name the offending part, never a header value or a body.

from devflow.core.errors import ConfigError, NetworkError

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Framing headers are ours to write; a caller setting them could smuggle a
# second request or desynchronise the connection.
_RESERVED = ("host", "content-length", "connection", "transfer-encoding")

# Methods that RFC 9110 9.2.2 calls idempotent: safe to retry automatically.
IDEMPOTENT = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE")

USER_AGENT = "devflow/0.1"


class Target:
    # One parsed URL. `origin` is the key of the keep-alive connection.
    def __init__(self, scheme, host, port, path):
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.origin = (scheme, host, port)

    def host_header(self):
        host = "[" + self.host + "]" if ":" in self.host else self.host
        if self.port != _DEFAULT_PORTS[self.scheme]:
            host = host + ":" + str(self.port)
        return host


def _bad_url(why):
    # The URL itself is not secret (secrets never go in URLs), but keep the
    # message short: it is shown on a small screen.
    return ConfigError("url: " + why)


def _check_printable(text, what):
    for ch in text:
        if ord(ch) <= 0x20 or ord(ch) >= 0x7F:
            raise _bad_url(what + " has a space or control character")


def _split_authority(authority):
    if "@" in authority:
        # Credentials in a URL end up in logs; the design forbids them.
        raise _bad_url("user info is not allowed")
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            raise _bad_url("unclosed [ in host")
        host, rest = authority[1:end], authority[end + 1 :]
        if not host or ":" not in host:
            raise _bad_url("bad IPv6 literal")
        if rest and not rest.startswith(":"):
            raise _bad_url("junk after ]")
        return host, rest[1:] if rest else None
    if authority.count(":") > 1:
        raise _bad_url("IPv6 hosts need [brackets]")
    if ":" in authority:
        host, port = authority.split(":", 1)
        return host, port
    return authority, None


def _parse_port(text, scheme):
    if text is None or text == "":
        return _DEFAULT_PORTS[scheme]
    if not text.isdigit() or len(text) > 5 or not 0 < int(text) < 65536:
        raise _bad_url("bad port")
    return int(text)


def parse_url(url):
    # scheme://host[:port][/path][?query]; a #fragment is never sent.
    if not isinstance(url, str):
        raise _bad_url("not a string")
    i = url.find("://")
    if i <= 0:
        raise _bad_url("no scheme")
    scheme = url[:i].lower()
    if scheme not in _DEFAULT_PORTS:
        raise _bad_url("scheme must be http or https")
    rest = url[i + 3 :].split("#", 1)[0]
    cut = len(rest)
    for sep in "/?":
        j = rest.find(sep)
        if 0 <= j < cut:
            cut = j
    authority, path = rest[:cut], rest[cut:]
    _check_printable(url, "url")
    host, port = _split_authority(authority)
    if not host:
        raise _bad_url("no host")
    if path.startswith("?") or not path:
        path = "/" + path
    return Target(scheme, host.lower(), _parse_port(port, scheme), path)


def is_loopback(host):
    # Decided on the name before any DNS lookup, so plain http is refused
    # without touching the network. 127.0.0.0/8, ::1 and localhost only.
    if host == "localhost" or host == "localhost.":
        return True
    if host == "::1" or host == "0:0:0:0:0:0:0:1":
        return True
    parts = host.split(".")
    if len(parts) != 4 or parts[0] != "127":
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


def _check_token(text, what):
    if not isinstance(text, str) or not text:
        raise ConfigError("request: empty " + what)
    for ch in text:
        o = ord(ch)
        if o <= 0x20 or o >= 0x7F or ch in '()<>@,;:\\"/[]?={}':
            raise ConfigError("request: bad character in " + what)


def _check_value(name, value):
    if not isinstance(value, str):
        raise ConfigError("request: header " + name + " is not a str")
    for ch in value:
        o = ord(ch)
        if (o < 0x20 and ch != "\t") or o == 0x7F:
            # A CR or LF here would split the header into a new one.
            raise ConfigError("request: control character in header " + name)


def request_head(method, target, headers, body_len):
    # The request line and headers as one bytes object, ready to send.
    _check_token(method, "method")
    lines = [method + " " + target.path + " HTTP/1.1", "Host: " + target.host_header()]
    user_agent = True
    for name, value in headers:
        _check_token(name, "header name")
        lname = name.lower()
        if lname in _RESERVED:
            raise ConfigError("request: header " + name + " is set by the transport")
        if lname == "user-agent":
            user_agent = False
        _check_value(name, value)
        lines.append(name + ": " + value)
    if user_agent:
        lines.append("User-Agent: " + USER_AGENT)
    if body_len or method in ("POST", "PUT", "PATCH"):
        lines.append("Content-Length: " + str(body_len))
    lines.append("Connection: keep-alive")
    lines.append("")
    lines.append("")
    return "\r\n".join(lines).encode()


def _bad(why):
    return NetworkError(NetworkError.BAD_RESPONSE, why)


def parse_status_line(line):
    # b"HTTP/1.1 200 OK" -> (minor_version, status). The reason is ignored.
    # Indexing bytes gives ints: no slice, so no heap object per response.
    if len(line) < 12 or not line.startswith(b"HTTP/1.") or line[8] != 32:
        raise _bad("bad status line")
    if len(line) > 12 and line[12] != 32:
        raise _bad("bad status line")
    status = 0
    for k in (7, 9, 10, 11):
        d = line[k] - 48
        if not 0 <= d <= 9:
            raise _bad("bad status line")
        if k > 7:
            status = status * 10 + d
    return line[7] - 48, status


# The response fields anyone reads: framing (RFC 9112 6), Retry-After for
# the core, Content-Type and Location for callers. Other fields are checked
# for syntax but never copied: a real server sends a dozen (GitHub about
# twenty) and each one kept costs several heap objects on every poll.
KEPT = (b"content-length", b"transfer-encoding", b"connection", b"retry-after",
        b"content-type", b"location", b"www-authenticate")


def header_is_kept(buf, lo, hi):
    # The line buf[lo:hi] is a header field; True when its name is in KEPT.
    # Checks the syntax parse_header_line checks, without copying anything.
    i = buf.find(b":", lo, hi)
    if i <= lo or _is_blank(buf[lo]) or _is_blank(buf[i - 1]):
        raise _bad("bad header line")
    for name in KEPT:
        if len(name) == i - lo and _same_name(buf, lo, name):
            return True
    return False


def _same_name(buf, lo, name):
    # ASCII case-insensitive compare; names in KEPT are lower case.
    for k in range(len(name)):
        if buf[lo + k] | 0x20 != name[k]:
            return False
    return True


def parse_header_line(line):
    # b"Name: value" -> ("name", "value"). Obsolete line folding and
    # whitespace before the colon are rejected (RFC 9112 5.1, 5.2).
    # Byte checks compare ints and the line is decoded once: every slice or
    # tuple here is a heap object per header per poll on a board.
    i = line.find(b":")
    if i <= 0 or _is_blank(line[0]) or _is_blank(line[i - 1]):
        raise _bad("bad header line")
    try:
        text = line.decode()
    except UnicodeError:
        # Non-ASCII header values are legal but useless to us: keep latin-1
        # out of the core, which only reads ASCII headers.
        raise _bad("non-UTF-8 header")
    # UTF-8 never uses 0x3A inside a multi-byte character, so the first
    # ':' of the text is the first ':' of the bytes.
    j = text.find(":")
    return text[:j].lower(), text[j + 1 :].strip()


def _is_blank(byte):
    return byte == 32 or byte == 9


def add_header(headers, name, value):
    # Repeated fields combine with ", " (RFC 9110 5.3).
    old = headers.get(name)
    headers[name] = value if old is None else old + ", " + value


def chunk_size(line):
    # b"1a3;ext=1" -> 0x1a3. Extensions are ignored (RFC 9112 7.1.1).
    size = line.split(b";", 1)[0].strip()
    if not size:
        raise _bad("bad chunk size")
    digits = size.lstrip(b"0") or b"0"
    if len(digits) > 7:
        # More than 256 MiB: over any cap, and keeps ints small on boards.
        raise NetworkError(NetworkError.TOO_LARGE, "chunk over cap")
    try:
        return int(digits, 16)
    except ValueError:
        raise _bad("bad chunk size")


# How a response body is delimited (RFC 9112 6.3), in precedence order.
NO_BODY = 0
LENGTH = 1
CHUNKED = 2
UNTIL_EOF = 3


def body_framing(method, status, headers):
    # -> (kind, content_length). Content-Length is only trusted when there
    # is no Transfer-Encoding; conflicting lengths are refused outright.
    if method == "HEAD" or status < 200 or status in (204, 304):
        return NO_BODY, 0
    te = headers.get("transfer-encoding")
    if te is not None:
        if te.lower().strip() != "chunked":
            # We never send TE or Accept-Encoding, so gzip etc. is a server
            # bug we cannot decode.
            raise _bad("unsupported transfer-encoding")
        return CHUNKED, 0
    cl = headers.get("content-length")
    if cl is None:
        return UNTIL_EOF, 0
    if cl.isdigit() and len(cl) <= 9:
        return LENGTH, int(cl)  # the usual case, with no list built
    values = [v.strip() for v in cl.split(",")]
    for v in values:
        if v != values[0] or not v.isdigit():
            raise _bad("bad content-length")
    if len(values[0].lstrip("0")) > 9:
        raise NetworkError(NetworkError.TOO_LARGE, "content-length over cap")
    return LENGTH, int(values[0])


def keeps_alive(minor, headers, framing):
    # HTTP/1.1 is persistent unless "close"; HTTP/1.0 only with keep-alive
    # (RFC 9112 9.3). A body read to EOF has used the connection up.
    if framing == UNTIL_EOF:
        return False
    if "connection" not in headers:
        return minor >= 1
    tokens = [t.strip().lower() for t in headers.get("connection", "").split(",")]
    if "close" in tokens:
        return False
    return minor >= 1 or "keep-alive" in tokens
