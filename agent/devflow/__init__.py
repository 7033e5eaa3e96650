# devflow: OAuth 2.0 Device Authorization Grant (RFC 8628) for small boards.
VERSION = "0.1.0"
