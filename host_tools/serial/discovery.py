"""OAuth server metadata, fetched on the host (so the board need not).

OpenID Connect Discovery first (`<issuer>/.well-known/openid-configuration`),
then RFC 8414 (`/.well-known/oauth-authorization-server`, inserted before
the issuer's path, RFC 8414 section 3.1). The CA bundle meant for the board
verifies the host's own TLS connection, so a bundle that cannot verify the
server's chain is caught here, before it is written to the board.
"""

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request

from .errors import ToolError

_MAX_BODY = 256 * 1024


def metadata_urls(issuer):
    parts = urllib.parse.urlsplit(issuer.rstrip("/"))
    origin = f"{parts.scheme}://{parts.netloc}"
    return [
        issuer.rstrip("/") + "/.well-known/openid-configuration",
        origin + "/.well-known/oauth-authorization-server" + parts.path,
    ]


def discover(issuer, ca_pem=None, timeout=10.0):
    """The server's metadata as a dict, checked: the issuer matches (RFC 8414
    section 3.3: it MUST be identical) and the device flow is offered."""
    check_url("issuer", issuer)
    context = _tls_context(ca_pem) if issuer.startswith("https:") else None
    failures = []
    for url in metadata_urls(issuer):
        try:
            meta = _get_json(url, context, timeout)
        except _NotThere as e:
            failures.append(f"{url}: {e}")
            continue
        if meta.get("issuer") != issuer:
            raise ToolError(f"{url} names issuer {meta.get('issuer')!r}, not {issuer!r}: refusing its metadata (RFC 8414 3.3)")
        if not meta.get("device_authorization_endpoint"):
            raise ToolError(
                f"{issuer} does not advertise a device_authorization_endpoint: "
                f"pass --device-authorization-endpoint and --token-endpoint"
            )
        return meta
    raise ToolError(f"no OAuth metadata for {issuer}: " + "; ".join(failures))


class _NotThere(Exception):
    pass


def _get_json(url, context, timeout):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            body = response.read(_MAX_BODY + 1)
    except urllib.error.HTTPError as e:
        raise _NotThere(f"HTTP {e.code}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise ToolError(f"TLS check failed for {url}: {reason.verify_message} (is --ca-file the server's CA?)") from None
        raise ToolError(f"cannot reach {url}: {reason}") from None
    except (TimeoutError, OSError) as e:
        raise ToolError(f"cannot reach {url}: {e}") from None
    if len(body) > _MAX_BODY:
        raise _NotThere("metadata too large")
    try:
        meta = json.loads(body)
    except ValueError:
        raise _NotThere("not JSON") from None
    if not isinstance(meta, dict):
        raise _NotThere("not a JSON object")
    return meta


def _tls_context(ca_pem):
    if not ca_pem:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cadata=ca_pem)
    except ssl.SSLError as e:
        raise ToolError(f"the CA bundle is not valid PEM: {e}") from None


def is_loopback(url):
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def check_url(name, url):
    """https everywhere; plain http only to loopback (the design's rule)."""
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback(url):
        return
    raise ToolError(f"{name} must be an https:// URL (http:// only to localhost): got {url!r}")
