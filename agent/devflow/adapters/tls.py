# TLS for the http adapter: the one place that knows MicroPython's `tls`
# from CPython's `ssl`.
#
# What we found on the MicroPython unix port (1.28, Mbed TLS 3.6):
# - load_verify_locations(data) takes one DER certificate. PEM text is
#   refused with ValueError("invalid cert") (this build has no PEM parser),
#   and after a DER certificate any further bytes are ignored, so a
#   concatenation of DER certificates trusts only the first.
# - Calling load_verify_locations again ADDS to the trusted set. So we turn
#   any PEM bundle into DER ourselves and load the certificates one by one;
#   that works on every port whatever its Mbed TLS configuration.
# - PROTOCOL_TLS_CLIENT defaults to CERT_REQUIRED and then insists on a
#   server_hostname; we set CERT_REQUIRED explicitly anyway.
# - wrap_socket does the handshake at once. An unknown CA or a name that
#   does not match raises ValueError (with Mbed TLS's text); other handshake
#   failures raise OSError with a negative Mbed TLS code, e.g. no CA loaded
#   is OSError(-30336, 'MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED').
# CPython raises ssl.SSLCertVerificationError (an OSError) instead.
#
# There is deliberately no switch to turn verification off.

import sys
import binascii

from devflow.core.errors import ConfigError, NetworkError

MICROPYTHON = sys.implementation.name == "micropython"

if MICROPYTHON:
    try:
        import tls as _tls
    except ImportError:  # MicroPython 1.22 called the C module ssl
        import ssl as _tls
else:
    import ssl as _tls

_BEGIN = b"-----BEGIN CERTIFICATE-----"
_END = b"-----END CERTIFICATE-----"


def pem_to_der(data):
    # -> list of DER certificates from PEM text (several allowed) or from
    # one DER certificate. Anything else is a configuration mistake.
    if isinstance(data, str):
        data = data.encode()
    if data[:1] == b"\x30":
        return [bytes(data)]
    certs = []
    start = data.find(_BEGIN)
    while start >= 0:
        end = data.find(_END, start)
        if end < 0:
            raise ConfigError("config key 'ca_certs' has an unterminated PEM certificate")
        try:
            certs.append(binascii.a2b_base64(data[start + len(_BEGIN) : end]))
        except ValueError:
            raise ConfigError("config key 'ca_certs' has bad base64 in a PEM certificate")
        start = data.find(_BEGIN, end)
    if not certs:
        raise ConfigError("config key 'ca_certs' holds no certificate (want PEM)")
    return certs


def make_context(ca_data):
    # A client context that trusts exactly the certificates in ca_data and
    # checks the server's chain and hostname. There is no default store:
    # boards have none, and the emulator must behave like a board.
    if not ca_data:
        raise ConfigError("config key 'ca_certs' is missing: https needs the server's root certificates")
    ders = pem_to_der(ca_data)
    if MICROPYTHON:
        ctx = _tls.SSLContext(_tls.PROTOCOL_TLS_CLIENT)
        ctx.verify_mode = _tls.CERT_REQUIRED
    else:
        ctx = _tls.SSLContext(_tls.PROTOCOL_TLS_CLIENT)  # check_hostname on
        ctx.minimum_version = _tls.TLSVersion.TLSv1_2
    n = 0
    for der in ders:
        n += 1
        try:
            if MICROPYTHON:
                ctx.load_verify_locations(der)
            else:
                ctx.load_verify_locations(cadata=der)
        except (ValueError, OSError):
            raise ConfigError("config key 'ca_certs': certificate %d is not valid X.509" % n)
    return ctx


def is_tls_failure(exc):
    # True when an OSError came from the TLS layer rather than the socket.
    if MICROPYTHON:
        # Mbed TLS codes are negative; socket errnos are positive.
        code = exc.args[0] if exc.args else None
        return isinstance(code, int) and code < 0
    return isinstance(exc, _tls.SSLError)


def wrap(context, sock, hostname):
    # Handshake on a connected socket; -> the TLS socket. A refused
    # certificate becomes NetworkError(TLS) before any request byte is sent.
    # Socket errors during the handshake (timeout, reset) propagate as
    # OSError for the caller to classify like any other socket error.
    try:
        return context.wrap_socket(sock, server_hostname=hostname)
    except ValueError:
        raise NetworkError(NetworkError.TLS, "certificate not trusted for " + hostname)
    except OSError as exc:
        if not MICROPYTHON and isinstance(exc, _tls.SSLCertVerificationError):
            raise NetworkError(NetworkError.TLS, "certificate not trusted for " + hostname)
        if is_tls_failure(exc):
            raise NetworkError(NetworkError.TLS, "handshake failed with " + hostname)
        raise

