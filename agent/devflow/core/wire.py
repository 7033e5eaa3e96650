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
    def __init__(self, method, url, headers=None, body=None, purpose="", max_body=16384):
        self.method = method
        self.url = url
        self.headers = headers or []
        self.body = body
        self.purpose = purpose
        self.max_body = max_body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


class Response:
    # headers: a dict with lower-case names; body: bytes (already de-chunked
    # and bounded by the request's max_body).
    def __init__(self, status, headers=None, body=b""):
        self.status = status
        self.headers = headers or {}
        self.body = body
