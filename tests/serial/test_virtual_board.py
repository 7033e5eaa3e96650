"""Stock mpremote treats the virtual board as a board."""

import functools
import hashlib
import http.server
import json
import threading

from serial_support import mpremote


def _ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_exec_and_absolute_paths_live_in_the_flash_folder(board):
    with open(board.flash_dir + "/hello.txt", "w") as f:
        f.write("hi")
    out = _ok(mpremote(board.pty_path, "exec", "import os, sys; print(os.listdir('/'), open('/hello.txt').read(), sys.path)"))
    assert "['hello.txt'] hi ['', '.frozen', '/lib']" in out


def test_cp_cat_and_hash_over_the_pty(board, tmp_path):
    src = tmp_path / "data.bin"
    src.write_bytes(bytes(range(256)) * 20)
    _ok(mpremote(board.pty_path, "fs", "cp", src, ":/data.bin"))
    assert (tmp_path / "flash" / "data.bin").read_bytes() == src.read_bytes()
    out = _ok(mpremote(board.pty_path, "sha256sum", ":data.bin"))
    assert hashlib.sha256(src.read_bytes()).hexdigest() in out


def test_socket_url_works_like_the_pty(board):
    out = _ok(mpremote("port:" + board.socket_url, "exec", "print(6 * 7)"))
    assert out.strip() == "42"


def test_soft_reset_starts_a_fresh_interpreter(board):
    _ok(mpremote(board.pty_path, "resume", "exec", "marker = 1"))
    start = len(board.output)
    _ok(mpremote(board.pty_path, "resume", "soft-reset", "resume", "exec", "print('marker' in globals())"))
    assert b"MPY: soft reboot\r\n" in board.output[start:]
    assert b"False" in board.output[start:]


def test_main_py_runs_at_boot_and_reset_restarts_it(board):
    with open(board.flash_dir + "/main.py", "w") as f:
        f.write("import time\nprint('main ran')\nwhile True:\n    time.sleep_ms(20)\n")
    start = len(board.output)
    _ok(mpremote(board.pty_path, "reset"))
    board.wait_for(b"main ran", timeout=10, start=start)
    # The loop in main.py is interrupted by mpremote's Ctrl-C, as on a board.
    assert _ok(mpremote(board.pty_path, "exec", "print('after')")).strip() == "after"
    start = len(board.output)
    board.reset()
    board.wait_for(b"main ran", timeout=10, start=start)


def _tiny_package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "tiny").mkdir(parents=True)
    (pkg / "tiny" / "__init__.py").write_text("VALUE = 7\n")
    (pkg / "package.json").write_text(json.dumps({"urls": [["tiny/__init__.py", "tiny/__init__.py"]], "version": "1"}))
    return pkg


def test_mip_install_from_a_local_package_file(board, tmp_path):
    pkg = _tiny_package(tmp_path)
    _ok(mpremote(board.pty_path, "mip", "install", pkg / "package.json"))
    assert (tmp_path / "flash" / "lib" / "tiny" / "__init__.py").read_text() == "VALUE = 7\n"
    assert _ok(mpremote(board.pty_path, "exec", "import tiny; print(tiny.VALUE)")).strip() == "7"


def test_mip_install_from_a_local_http_server(board, tmp_path):
    pkg = _tiny_package(tmp_path)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(pkg))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = "http://127.0.0.1:%d/package.json" % server.server_address[1]
        _ok(mpremote(board.pty_path, "mip", "install", "--target", "/lib", url))
    finally:
        server.shutdown()
    assert _ok(mpremote(board.pty_path, "exec", "import tiny; print(tiny.VALUE)")).strip() == "7"
