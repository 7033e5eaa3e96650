"""MicroPython snippets the host runs on the board through `mpremote exec`.

Each one prints a single answer line (mpremote_cmd.result_line) so the host
parses JSON, not a REPL transcript. They use only what MicroPython 1.22+
has on every port: os, json, hashlib, binascii. Secrets are redacted on
the board, so they never cross the cable.
"""

from .mpremote_cmd import result_line

CONFIG_PATH = "/devflow.json"
TOKENS_PATH = "/devflow_tokens.bin"

_HELPERS = """\
import os, sys, json
def _size(p):
    try:
        return os.stat(p)[6]
    except OSError:
        return None
def _walk(d, out, depth):
    for e in os.ilistdir(d):
        p = (d if d != '/' else '') + '/' + e[0]
        if e[1] & 0x4000:
            if depth < 8 and len(out) < 400:
                _walk(p, out, depth + 1)
        elif len(out) < 400:
            out[p] = _size(p)
def _sha(p):
    import hashlib, binascii
    h = hashlib.sha256()
    b = bytearray(512)
    m = memoryview(b)
    with open(p, 'rb') as f:
        while True:
            n = f.readinto(b)
            if not n:
                break
            h.update(m[:n])
    return binascii.hexlify(h.digest()).decode()
def _free():
    s = os.statvfs('/')
    return [s[0] * s[4], s[1] * s[2]]
"""

_CONFIG_SUMMARY = """\
def _config():
    try:
        with open(%(path)r) as f:
            c = json.load(f)
    except OSError:
        return None
    except ValueError:
        return 'not valid JSON'
    if not isinstance(c, dict):
        return 'not a JSON object'
    for k in ('client_secret',):
        if c.get(k):
            c[k] = '***'
    if isinstance(c.get('wifi'), dict) and c['wifi'].get('password'):
        c['wifi']['password'] = '***'
    if c.get('ca_certs'):
        c['ca_certs'] = '%%d certificate(s)' %% c['ca_certs'].count('BEGIN CERTIFICATE')
    return c
""" % {"path": CONFIG_PATH}


def inventory(hash_paths=(), walk=True):
    """Bytecode version, platform, files (path -> size), sha256 of
    `hash_paths` (None when missing), free/total flash, config, tokens."""
    return (
        _HELPERS
        + _CONFIG_SUMMARY
        + "_files = {}\n"
        + ("_walk('/', _files, 0)\n" if walk else "")
        + "_hashes = {}\n"
        + "for p in %r:\n" % (list(hash_paths),)
        + "    _hashes[p] = _sha(p) if _size(p) is not None else None\n"
        + "_r = {'mpy': getattr(sys.implementation, '_mpy', 0), 'platform': sys.platform,\n"
        + "      'version': sys.version, 'files': _files, 'hashes': _hashes, 'flash': _free(),\n"
        + "      'config': _config(), 'tokens': _size(%r) is not None}\n" % TOKENS_PATH
        + result_line("_r")
    )


def make_dirs(dirs):
    """Create folders (parents first); answers the list it created."""
    return (
        "import os, json\n_made = []\n"
        + "for d in %r:\n" % sorted(set(dirs), key=lambda d: (d.count("/"), d))
        + "    try:\n        os.stat(d)\n    except OSError:\n        os.mkdir(d)\n        _made.append(d)\n"
        + result_line("_made")
    )


def remove(paths):
    """Remove files that exist; answers the list it removed."""
    return (
        "import os, json\n_gone = []\n"
        + "for p in %r:\n" % list(paths)
        + "    try:\n        os.remove(p)\n        _gone.append(p)\n    except OSError:\n        pass\n"
        + result_line("_gone")
    )


def commit_staged(expected):
    """Check the sha256 of each staged `path + '.new'` against `expected`
    (path -> hex). Only if every one matches are they renamed into place;
    otherwise all staged files are removed and nothing changes. Answers
    {'ok': bool, 'bad': [paths]}."""
    return (
        _HELPERS
        + "_exp = %r\n" % dict(expected)
        + "_bad = [p for p in _exp if _size(p + '.new') is None or _sha(p + '.new') != _exp[p]]\n"
        + "if not _bad:\n"
        + "    os.chdir('/')\n"  # rename by relative paths: the unix port's VfsPosix fails two absolute ones
        + "    for p in _exp:\n"
        + "        q = p.lstrip('/')\n"
        + "        try:\n            os.rename(q + '.new', q)\n"
        + "        except OSError:\n"  # FAT will not rename over a file
        + "            os.remove(q)\n            os.rename(q + '.new', q)\n"
        + "else:\n"
        + "    for p in _exp:\n"
        + "        try:\n            os.remove(p + '.new')\n        except OSError:\n            pass\n"
        + result_line("{'ok': not _bad, 'bad': _bad}")
    )
