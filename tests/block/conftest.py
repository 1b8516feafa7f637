"""Every block test gets its own cache dir: the real user cache is never touched."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("milepace-cache")
    monkeypatch.setenv("MILEPACE_CACHE_DIR", str(cache))
    return cache
