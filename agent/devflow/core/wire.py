# What the core hands to a transport and what it gets back.
#
# The core builds Request objects and consumes Response objects; an HTTP
# adapter's only job is `perform(request) -> Response` (or raise
# NetworkError). Keeping them plain classes lets the same scenarios run on
# CPython and MicroPython. Neither has a __repr__: the default one shows no
# body or header, which may hold secrets.


class Request:
    # purpose: "device_authorization", "token", "refresh", "api", "revoke"
    # (for logs and for fakes; never sent on the wire).
    # headers: a list of (name, value) str pairs, sent in that order.
    # body: bytes or None. max_body: the most body bytes the caller will read.
    def __init__(self, method, url, headers, body, purpose, max_body):
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.purpose = purpose
        self.max_body = max_body


class Response:
    # headers: a dict with lower-case names; body: bytes-like (already
    # de-chunked and bounded by the request's max_body). The http adapter
    # hands a view of its receive buffer, valid until its next request:
    # read it at once, keep nothing of it but what is parsed out.
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
