"""agent/manifest.py freezes every agent file a board imports, and leaves
main.py (and nothing else) on the filesystem, as its comment says."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AGENT = ROOT / "agent"


def _run_manifest():
    # tools/manifestfile.py is not installed here: the same five calls,
    # recorded. Paths are relative to the manifest's folder, as there.
    frozen, includes = set(), []
    base = AGENT

    def include(path, **kwargs):
        includes.append(path)

    def module(name, base_path=".", opt=None):
        frozen.add((base / base_path / name).resolve())

    def package(name, files=None, base_path=".", opt=None):
        top = (base / base_path / name).resolve()
        found = [top / f for f in files] if files else top.rglob("*.py")
        frozen.update(p.resolve() for p in found)

    def require(name, **kwargs):
        raise AssertionError(f"the agent needs no micropython-lib package, yet requires {name}")

    def metadata(**kwargs):
        pass

    code = compile((AGENT / "manifest.py").read_text(), str(AGENT / "manifest.py"), "exec")
    exec(code, {"include": include, "module": module, "package": package,
                "require": require, "metadata": metadata, "options": None})
    return frozen, includes


def test_manifest_freezes_every_agent_file_but_main():
    frozen, includes = _run_manifest()
    shipped = {p.resolve() for p in AGENT.rglob("*.py") if "__pycache__" not in p.parts}
    left = shipped - frozen
    assert left == {(AGENT / "main.py").resolve(), (AGENT / "manifest.py").resolve()}, sorted(map(str, left))
    assert all(p.exists() for p in frozen)
    assert "$(PORT_DIR)/boards/manifest.py" in includes  # keep the port's own frozen modules
