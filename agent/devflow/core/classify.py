# What an answer from the authorization server means, by its body.
#
# RFC 8628 3.5 and RFC 6749 5.2 define the error codes; real servers bend
# the rules (shared/PROVIDERS.md), so the body's `error` decides whatever the
# HTTP status or content type: GitHub sends errors with 200, OpenAM sends
# authorization_pending with 403. A body we cannot read is a transport
# failure (FAULTS 20, 30): it slows us down but ends nothing.

from devflow.core.body import parse_object
from devflow.core.errors import ProtocolError
from devflow.core.schedule import retry_after_s

# RFC 8628 3.5 error codes, as named constants (golang.org/x/oauth2 style).
AUTHORIZATION_PENDING = "authorization_pending"
SLOW_DOWN = "slow_down"
ACCESS_DENIED = "access_denied"
EXPIRED_TOKEN = "expired_token"
INVALID_GRANT = "invalid_grant"

# What each answer leads to. Anything not listed is terminal and shown.
PENDING = "pending"
SLOWER = "slow_down"
DENIED = "denied"
EXPIRED = "expired"
REVOKED = "revoked"
CONFIG = "config"
RETRY = "retry"        # transport-like: back off and try again
REDIRECT = "redirect"  # never followed (RFC 9700 4.12): terminal
OK = "ok"
OTHER = "other"        # an error code we do not know: terminal

_BY_CODE = {
    AUTHORIZATION_PENDING: PENDING,
    SLOW_DOWN: SLOWER,
    ACCESS_DENIED: DENIED,
    "authorization_declined": DENIED,   # Entra's name for a denial
    EXPIRED_TOKEN: EXPIRED,
    INVALID_GRANT: EXPIRED,             # Auth0 after expired_token; OpenAM
    "invalid_client": CONFIG,
    "unauthorized_client": CONFIG,
    "unsupported_grant_type": CONFIG,
    "invalid_request": CONFIG,
    "invalid_scope": CONFIG,
    "device_flow_disabled": CONFIG,     # GitHub
    "server_error": RETRY,
    "temporarily_unavailable": RETRY,
}


class Answer:
    def __init__(self, kind, obj=None, code=None, retry_after=None):
        self.kind = kind
        self.obj = obj          # the body as a dict, when readable
        self.code = code        # the `error` value, when there is one
        self.retry_after = retry_after


def classify(response, wall_s=None):
    # wall_s: the board's wall clock, when set, for a Retry-After date.
    status = response.status
    retry_after = retry_after_s(response.header("retry-after"), wall_s)
    if 300 <= status < 400:
        return Answer(REDIRECT)
    try:
        obj = parse_object(response.body)
    except ProtocolError:
        return Answer(RETRY, retry_after=retry_after)
    code = obj.get("error")
    if code is not None:
        if not isinstance(code, str) or not code:
            return Answer(RETRY, obj, retry_after=retry_after)
        return Answer(_BY_CODE.get(code, OTHER), obj, code, retry_after)
    if 200 <= status < 300:
        return Answer(OK, obj)
    # 4xx/5xx with a readable body but no `error`: not an OAuth answer.
    return Answer(RETRY, obj, retry_after=retry_after)


def safe_code(code):
    # An error code from a server is shown on screen and logged: keep it to
    # printable ASCII and short (RFC 6749 5.2 limits it to %x20-21/23-5B/5D-7E).
    if not isinstance(code, str):
        return "unknown"
    clean = "".join(ch for ch in code if 0x21 <= ord(ch) <= 0x7E)
    return clean[:32] or "unknown"
