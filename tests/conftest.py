"""Shared fixtures: a fresh copy of the tiny fixture project, and one build of it for the whole session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidelines.build import build
from guidelines.project import load_project

FIXTURE = Path(__file__).parent / "fixtures" / "project"


def copy_fixture(destination: Path) -> Path:
    target = destination / "project"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site", ".cache", ".site-*"))
    return target


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/project."""
    return copy_fixture(tmp_path)


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after one `guidelines build`; tests only read it."""
    root = copy_fixture(tmp_path_factory.mktemp("built"))
    build(load_project(root), use_cache=False)
    return root
