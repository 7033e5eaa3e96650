"""HTML for the verification pages: small, server-rendered, no JavaScript.

Stable ids and names (what a Playwright test or user_agent.py drives):

    every page     #error (only when there is a message), input[name=csrf_token]
    /device        form#code-form, input#user_code[name=user_code], button#continue
    /device/login  form#login-form, input#username[name=username],
                   input#password[name=password], button#sign-in
    /device/consent form#consent-form, #client-name, #scopes, #shown-user-code,
                   button#allow[name=decision][value=allow],
                   button#deny[name=decision][value=deny]
    /device/done   #done[data-result=approved|denied]
"""

from html import escape

_CSS = """
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:12px;
box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;
font-size:1.1rem;border:1px solid #c3c8d2;border-radius:6px}
#user_code{letter-spacing:.15em;text-transform:uppercase;font-family:monospace;font-size:1.4rem}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:6px;
cursor:pointer;background:#2f5bea;color:#fff}button#deny{background:#e4e7ec;color:#1d2330}
#error{background:#fdecec;color:#a11;padding:.6rem;border-radius:6px}
.hint{color:#5b6272;font-size:.9rem}code,.code{font-family:monospace;font-weight:700}
"""


def _page(title, body):
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _error(message):
    return f'<p id="error" role="alert">{escape(message)}</p>' if message else ""


def _csrf(token):
    return f'<input type="hidden" name="csrf_token" value="{escape(token)}">'


def code_form(csrf, prefill="", error=None):
    return _page("Connect a device", f"""<h1>Connect a device</h1>{_error(error)}
<form id="code-form" method="post" action="/device">{_csrf(csrf)}
<label for="user_code">Enter the code shown on your device</label>
<input type="text" id="user_code" name="user_code" value="{escape(prefill)}"
 autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus required>
<button type="submit" id="continue">Continue</button></form>
<p class="hint">Letters are not case-sensitive; the hyphen is optional.</p>""")


def login_form(csrf, users, error=None, username=""):
    names = ", ".join(f"<code>{escape(name)}</code>" for name in users)
    return _page("Sign in", f"""<h1>Sign in</h1>{_error(error)}
<form id="login-form" method="post" action="/device/login">{_csrf(csrf)}
<label for="username">Username</label>
<input type="text" id="username" name="username" value="{escape(username)}"
 autocomplete="username" autofocus required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit" id="sign-in">Sign in</button></form>
<p class="hint">Local demo server. Users: {names}; password: <code>demo</code>.</p>""")


def consent_form(csrf, client_name, scopes, user_code, username):
    items = "".join(f"<li><code>{escape(s)}</code></li>" for s in scopes) or "<li>(none)</li>"
    return _page("Allow access?", f"""<h1>Allow access?</h1>
<p><strong id="client-name">{escape(client_name)}</strong> wants to access your account
<strong>{escape(username)}</strong>.</p>
<p>Check that your device shows the code
<span class="code" id="shown-user-code">{escape(user_code)}</span>.</p>
<p>It asks for:</p><ul id="scopes">{items}</ul>
<form id="consent-form" method="post" action="/device/consent">{_csrf(csrf)}
<button type="submit" id="allow" name="decision" value="allow">Allow</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button></form>""")


def done(approved):
    result = "approved" if approved else "denied"
    text = ("Your device is connected. You can return to your device."
            if approved else "Access was denied. You can return to your device.")
    return _page("Done", f"""<h1>{"Device connected" if approved else "Access denied"}</h1>
<p id="done" data-result="{result}">{text}</p>""")


def problem(message):
    return _page("Start again", f"""<h1>Start again</h1>{_error(message)}
<p><a id="restart" href="/device">Enter a code</a></p>""")
