"""The emulated board in a browser: its panel, its buttons, its serial log.

    view = WebView(emulator, port=0).start()   # a thread; view.url
    python -m host_tools emulate --board ttgo-tdisplay --web [--web-port 8765]

stdlib http.server, no framework. The page (web/index.html) polls
/state.json a few times a second and reloads /panel.png when the frame
number changes; a button click POSTs /press. The PNG is the panel at 1:1
as read from the emulated controller; the page scales it with
`image-rendering: pixelated`, so every panel pixel stays a crisp square.
"""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STATIC = Path(__file__).with_name("web")
MAX_LINES = 200


class _Frames:
    """Numbers the panel images as the emulator replaces them."""

    def __init__(self, emulator):
        self.emulator, self.number, self._last, self._png = emulator, 0, None, b""
        self._lock = threading.Lock()

    def current(self):
        with self._lock:
            image = self.emulator.image
            if image is not None and image is not self._last:
                out = io.BytesIO()
                image.save(out, format="PNG")
                self._last, self._png, self.number = image, out.getvalue(), self.number + 1
            return self.number, self._png


class WebView:
    def __init__(self, emulator, port=0, host="127.0.0.1"):
        self.emulator = emulator
        self.frames = _Frames(emulator)
        view = self

        class Handler(_Handler):
            pass
        Handler.view = view
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return "http://%s:%d/" % (host, port)

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def state(self):
        emu, spec = self.emulator, self.emulator.spec
        number, _ = self.frames.current()
        image = emu.image
        return {
            "board": spec.name, "state": emu.state, "frame": number,
            "width": image.width if image is not None else None,
            "height": image.height if image is not None else None,
            "scale": spec.png_scale,
            "buttons": [{"label": label, "pin": pin, "main": pin == spec.button_pin}
                        for label, pin in spec.buttons.items()],
            "lines": emu.lines[-MAX_LINES:],
        }


_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
          "/app.js": ("app.js", "text/javascript; charset=utf-8")}


class _Handler(BaseHTTPRequestHandler):
    view = None

    def log_message(self, fmt, *args):
        pass   # the board's log is the interesting one

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in _FILES:
            name, ctype = _FILES[path]
            self._send(200, (STATIC / name).read_bytes(), ctype)
        elif path == "/state.json":
            self._send(200, json.dumps(self.view.state()).encode(), "application/json")
        elif path == "/panel.png":
            _, png = self.view.frames.current()
            if png:
                self._send(200, png, "image/png")
            else:
                self._send(404, b"no panel", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self):
        if self.path != "/press":
            self._send(404, b"not found", "text/plain")
            return
        try:
            n = min(int(self.headers.get("Content-Length", "0")), 1024)
            body = json.loads(self.rfile.read(n) or b"{}")
            pins = set(self.view.emulator.spec.buttons.values())
            pin = int(body.get("pin"))
            if pin not in pins:
                raise ValueError("no such button")
        except (ValueError, TypeError):
            self._send(400, b'{"error": "bad press"}', "application/json")
            return
        self.view.emulator.press(long=bool(body.get("long")), pin=pin)
        self._send(200, b'{"ok": true}', "application/json")
