"""Play the person at the browser, over HTTP(S) only.

    result = complete_device_flow(verification_url, user_code, cafile=ca_pem_path)
    result == "approved"   # or "denied" with allow=False

It does what a person does: opens the verification URL (complete or not),
submits the code, signs in with the username/password form, presses Allow
or Deny, and reads the done page. It follows the server's own forms (their
action, method and hidden fields), keeps cookies in a CookieJar and trusts
the given CA. `python -m host_tools.authserver.user_agent URL CODE` runs it.
"""

import argparse
import http.cookiejar
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

_MAX_PAGE = 256 * 1024
_MAX_STEPS = 8


class UserAgentError(Exception):
    """The flow did not reach the done page; the message says where it stopped."""


class _Page(HTMLParser):
    """Forms (action, method, fields, submit buttons) and the #error/#done text."""

    def __init__(self):
        super().__init__()
        self.forms = {}
        self._form = None
        self.error = None
        self.result = None
        self._capture = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get"),
                          "fields": {}, "buttons": {}}
            self.forms[a.get("id", "")] = self._form
        elif tag == "input" and self._form is not None and a.get("name"):
            self._form["fields"][a["name"]] = a.get("value", "")
        elif tag == "button" and self._form is not None and a.get("id"):
            self._form["buttons"][a["id"]] = (a.get("name"), a.get("value"))
        if a.get("id") == "error":
            self._capture = "error"
            self.error = ""
        elif a.get("id") == "done":
            self.result = a.get("data-result")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "p":
            self._capture = None

    def handle_data(self, data):
        if self._capture == "error":
            self.error += data


class Browser:
    """urllib with a cookie jar and (optionally) a private CA."""

    def __init__(self, cafile=None, cadata=None, timeout=10.0):
        context = ssl.create_default_context(cafile=cafile, cadata=cadata)
        self.cookies = http.cookiejar.CookieJar()
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=context),
        )

    def open(self, url, form=None):
        """(final URL, parsed page); redirects (303 after a POST) are followed."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self._opener.open(url, data=data, timeout=self.timeout) as response:
                final_url, body = response.geturl(), response.read(_MAX_PAGE)
        except urllib.error.HTTPError as error:
            final_url, body = url, error.read(_MAX_PAGE)
        page = _Page()
        page.html = body.decode("utf-8", "replace")
        page.feed(page.html)
        return final_url, page

    def submit(self, page_url, form, values, button=None):
        fields = dict(form["fields"])
        fields.update(values)
        if button is not None:
            name, value = form["buttons"][button]
            if name:
                fields[name] = value
        return self.open(urllib.parse.urljoin(page_url, form["action"]), fields)


def complete_device_flow(verification_url, user_code, username="alice", password="demo",
                         allow=True, cafile=None, cadata=None, timeout=10.0):
    """Approve (or deny) one device request; returns "approved" or "denied"."""
    browser = Browser(cafile, cadata, timeout)
    url, page = browser.open(verification_url)
    answered = set()
    for _ in range(_MAX_STEPS):
        if page.result:
            return page.result
        step = _next_step(page, answered)
        answered.add(step)
        form = page.forms[step]
        if step == "code-form":
            url, page = browser.submit(url, form, {"user_code": user_code}, "continue")
        elif step == "login-form":
            url, page = browser.submit(
                url, form, {"username": username, "password": password}, "sign-in")
        else:
            url, page = browser.submit(url, form, {}, "allow" if allow else "deny")
    raise UserAgentError("too many steps without reaching the done page")


def _next_step(page, answered):
    for step in ("consent-form", "login-form", "code-form"):
        if step in page.forms:
            if step in answered and page.error:
                # The server showed the same form again with a message.
                raise UserAgentError(f"{step}: {page.error.strip()}")
            return step
    raise UserAgentError(page.error.strip() if page.error else "no form on the page")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m host_tools.authserver.user_agent",
                                     description="Approve a device code over HTTP(S).")
    parser.add_argument("url", help="verification_uri or verification_uri_complete")
    parser.add_argument("user_code")
    parser.add_argument("--username", default="alice")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--deny", action="store_true")
    parser.add_argument("--ca", help="CA PEM file to trust")
    args = parser.parse_args(argv)
    try:
        result = complete_device_flow(args.url, args.user_code, args.username,
                                      args.password, not args.deny, cafile=args.ca)
    except (UserAgentError, OSError) as error:
        print(f"user_agent: {error}", file=sys.stderr)
        return 1
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
