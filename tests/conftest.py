"""Shared fixtures: where the data folders are, and skips when they are absent.

``../shared/realdata`` and ``../shared/corpus`` sit beside the checkout in
the workplace; someone who clones the project alone still runs every test
that does not need them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
SHARED = Path(os.environ.get("MILEPACE_SHARED", ROOT.parent / "shared"))
REALDATA = SHARED / "realdata"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def sample_data() -> Path:
    return SAMPLE_DATA


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not (REALDATA / "MANIFEST.tsv").is_file():
        pytest.skip(f"real device files not found at {REALDATA}")
    return REALDATA


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "truth.json").is_file():
        pytest.skip(f"labelled corpus not found at {CORPUS}")
    return CORPUS
