"""TLS material from trustme: a CA, a server certificate, an SSLContext.

`make_tls(...)` returns what the server needs and what a client must trust.
With `untrusted_ca=True` the server certificate is signed by a second CA, so
a client that trusts only `ca_pem` must refuse it; with `hostnames` other
than localhost/127.0.0.1 the hostname check must fail. Tests use both.
"""

import os
import ssl
import tempfile

import trustme

DEFAULT_HOSTNAMES = ("localhost", "127.0.0.1")


class TlsMaterial:
    def __init__(self, ca_pem, ca_der, ca_pem_path, server_context, hostnames):
        self.ca_pem = ca_pem  # bytes: the CA a client should trust
        self.ca_der = ca_der
        self.ca_pem_path = ca_pem_path
        self.server_context = server_context
        self.hostnames = hostnames


def make_tls(certs_dir=None, hostnames=DEFAULT_HOSTNAMES, untrusted_ca=False):
    trusted = trustme.CA()
    signer = trustme.CA() if untrusted_ca else trusted
    leaf = signer.issue_cert(*hostnames)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    leaf.configure_cert(context)
    certs_dir = certs_dir or tempfile.mkdtemp(prefix="devflow-authserver-")
    os.makedirs(certs_dir, exist_ok=True)
    ca_pem = trusted.cert_pem.bytes()
    ca_der = ssl.PEM_cert_to_DER_cert(ca_pem.decode())
    ca_pem_path = os.path.join(certs_dir, "ca.pem")
    _write(ca_pem_path, ca_pem)
    _write(os.path.join(certs_dir, "ca.der"), ca_der)
    return TlsMaterial(ca_pem, ca_der, ca_pem_path, context, tuple(hostnames))


def _write(path, data):
    # Temp file and rename: a reader never sees half a certificate.
    temp = path + ".tmp"
    with open(temp, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)
