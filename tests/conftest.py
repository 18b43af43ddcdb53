"""Shared fixtures. Tests run from any folder; data paths come from the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("IOPSTUDY_ROOT", str(ROOT))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_register(root) -> Path:
    return root / "data" / "raw" / "register" / "iop_register.csv"
