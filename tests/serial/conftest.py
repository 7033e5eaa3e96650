"""Fixtures for the serial tools: a virtual board and an agent tree."""

import pytest

from serial_support import make_agent_tree, start_board


@pytest.fixture
def board(tmp_path):
    vb = start_board(tmp_path / "flash")
    yield vb
    vb.stop()


@pytest.fixture
def agent_tree(tmp_path):
    return make_agent_tree(tmp_path)
