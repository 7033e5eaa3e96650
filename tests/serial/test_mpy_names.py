"""The names of .mpy files (host_tools/serial/mpy_names.py), which the
virtual board interns at boot to model frozen firmware: read from tables
mpy-cross wrote, listed for an image's tree, written into a module that
the real MicroPython imports."""

import os
import subprocess

import pytest

from host_tools.serial.errors import ToolError
from host_tools.serial.mpy_names import frozen_names, names_module, qstr_names

SOURCE = """
def fetch_the_token(device_code, poll_interval):
    return device_code + "x-y" + str(poll_interval)
"""


def compile_source(mpy_cross, tmp_path, source, name="flow"):
    src = tmp_path / (name + ".py")
    src.write_text(source)
    out = tmp_path / (name + ".mpy")
    subprocess.run([mpy_cross, "-s", name, "-o", str(out), str(src)], check=True, timeout=60)
    return out


def test_the_table_is_read_from_what_mpy_cross_wrote(mpy_cross, tmp_path):
    names = qstr_names(compile_source(mpy_cross, tmp_path, SOURCE).read_bytes())
    # The source name, the function and its arguments, a short string
    # constant; "str" is the firmware's already (stored by index).
    assert {"flow", "fetch_the_token", "device_code", "poll_interval", "x-y"} <= set(names)
    assert "str" not in names


@pytest.mark.parametrize("data", [b"", b"not a .mpy file", b"M\x05\x00\x1f\x01\x00", b"M\x06\x00\x1f\x02\x00\x08ab",
                                  b"M\x06\x00\x1f\x01\x00\x08abcd"])
def test_what_is_not_a_whole_mpy_v6_table_is_refused(data):
    with pytest.raises(ToolError):
        qstr_names(data)


def test_an_images_names_cover_tables_paths_and_module_names(mpy_cross, tmp_path):
    tree = tmp_path / "image"
    (tree / "devflow" / "core").mkdir(parents=True)
    (tree / "vboard").mkdir()
    compile_source(mpy_cross, tree / "devflow" / "core", SOURCE)
    compile_source(mpy_cross, tree / "vboard", "def reset(): pass\n", "machine")
    (tree / "notes.txt").write_text("not a module")
    names = frozen_names(str(tree), "/rom", top_level=("", "vboard"))
    assert {"fetch_the_token", "poll_interval", "reset"} <= set(names)
    assert {"/rom/devflow/core/flow.mpy", "devflow.core.flow", "devflow.core", "devflow", "core",
            "/rom/devflow", "/rom/devflow/core"} <= set(names)
    # /rom/vboard is on sys.path: its module is "machine", not "vboard.machine".
    assert {"/rom/vboard/machine.mpy", "machine"} <= set(names) and "vboard.machine" not in names
    assert names == sorted(set(names))


def test_the_names_module_interns_its_names_on_micropython(micropython, tmp_path):
    wanted = ["a_name_nobody_else_has", "/rom/devflow/core/flow.mpy", "devflow.core.flow", "x-y"]
    names_module(wanted, str(tmp_path / "frozen_names.mpy"))
    assert set(wanted) <= set(qstr_names((tmp_path / "frozen_names.mpy").read_bytes()))
    env = dict(os.environ, MICROPYPATH=str(tmp_path))
    script = "import micropython\nimport frozen_names\nmicropython.qstr_info(1)\n"
    done = subprocess.run([micropython, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    interned = {line[2:-1] for line in done.stdout.splitlines() if line.startswith("Q(")}
    assert set(wanted) <= interned
