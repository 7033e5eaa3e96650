"""deploy: put the agent on the board, copying only what changed.

Steps, each one mpremote call: ask the board for its bytecode version, free
flash and the sha256 of the files we would write; compile with mpy-cross
(refusing a bytecode mismatch); copy the changed files as `<name>.new`;
then on the board check every staged hash and only if all match rename
them into place (else remove them). A failed or interrupted deploy leaves
the old files as they were and no half-written file behind.
"""

import hashlib
import os
import tempfile

from . import device_code
from .build import check_bytecode, compile_all, plan, write_manifest
from .errors import ToolError
from .progress import Progress

_BLOCK = 4096  # flash filesystems allocate whole blocks


class DeployResult:
    def __init__(self, copied, unchanged, removed):
        self.copied, self.unchanged, self.removed = copied, unchanged, removed


def deploy(board, agent_dir, boards_dir=None, board_name=None, source=False, out=print):
    """Deploy to `board` (an Mpremote). Returns a DeployResult."""
    files = plan(agent_dir, boards_dir, board_name, compile=not source)
    info = board.exec_json(device_code.inventory([f.remote for f in files], walk=True))
    if not source:
        check_bytecode(info["mpy"])
    with tempfile.TemporaryDirectory(prefix="devflow-deploy-") as tmp:
        staged = compile_all(files, tmp)
        digests = {remote: _sha256(path) for remote, path in staged.items()}
        changed = [r for r in staged if info["hashes"].get(r) != digests[r]]
        stale = _stale(info["files"], staged)
        if changed:
            _check_space(changed, staged, info["flash"][0])
            _copy(board, changed, staged, digests, out)
        removed = board.exec_json(device_code.remove(stale)) if stale else []
    unchanged = len(staged) - len(changed)
    out(f"deployed: {len(changed)} copied, {unchanged} unchanged, {len(removed)} removed")
    return DeployResult(changed, unchanged, removed)


def _copy(board, changed, staged, digests, out):
    dirs = {r.rsplit("/", 1)[0] for r in changed if r.count("/") > 1}
    parents = set()
    for d in dirs:
        parts = d.split("/")
        parents.update("/".join(parts[:i]) for i in range(2, len(parts) + 1))
    if parents:
        board.exec_json(device_code.make_dirs(parents))
    args = []
    for remote in changed:
        args += ["fs", "cp", staged[remote], ":" + remote + ".new", "+"]
    size = sum(os.path.getsize(staged[r]) for r in changed)
    bar = Progress(len(changed), "copying")
    try:
        board.run(*args[:-1], timeout=board.timeout + size / 1000.0,
                  on_line=lambda line: line.startswith("cp ") and bar.step(line.rsplit(":", 1)[-1][:-4]))
    except ToolError:
        bar.close()
        _discard(board, changed)
        raise
    bar.close()
    verdict = board.exec_json(device_code.commit_staged({r: digests[r] for r in changed}))
    if not verdict["ok"]:
        raise ToolError(f"verify failed on the board for {', '.join(verdict['bad'])}: nothing was changed; deploy again")


def _discard(board, changed):
    # Best effort: the copy failed, so leave no `.new` file behind.
    try:
        board.exec_json(device_code.remove([r + ".new" for r in changed]))
    except ToolError:
        pass


def _check_space(changed, staged, free):
    need = sum(-(-os.path.getsize(staged[r]) // _BLOCK) * _BLOCK for r in changed)
    if need > free:
        raise ToolError(
            f"not enough flash on the board: the changed files need {need // 1024} KB, "
            f"{free // 1024} KB are free (remove files, or freeze the agent into firmware with --frozen)"
        )


def _stale(board_files, staged):
    """Files on the board that would shadow or outlive the deployed ones: the
    other suffix of a deployed module (a stale app.py hides app.mpy), and
    anything under /devflow/ that is no longer deployed."""
    stale = []
    for path in board_files:
        if path in staged or path.endswith(".new"):
            continue
        twin = path[:-3] + ".mpy" if path.endswith(".py") else path[:-4] + ".py" if path.endswith(".mpy") else None
        if twin in staged or path.startswith("/devflow/"):
            stale.append(path)
    return sorted(stale)


def _sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def frozen(out_dir, agent_dir, boards_dir=None, board_name=None, out=print):
    path = write_manifest(out_dir, agent_dir, boards_dir, board_name)
    out(f"wrote {path}: build the firmware with FROZEN_MANIFEST={os.path.abspath(path)}")
    return path
