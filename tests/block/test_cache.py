"""The per-file result cache: round trip, keys, versioning, and never trusting a bad entry."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from milepace.block.cache import CACHE_ENV, ResultCache, default_cache_dir
from milepace.block.model import SCHEMA_VERSION, FileResult

from .factory import effort, result


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    res = result([effort("interval", 800.0, 335.0), effort("hill_repeat", 60.0, 420.0)], source="a.fit")
    res = FileResult(
        **{**res.__dict__, "content_hash": "ab" * 16, "warnings": ("bad CRC",), "extra": {"k": 1}}
    )
    cache.put(res, 330.0)
    back = cache.get("ab" * 16, 330.0)
    assert back is not None
    assert back.efforts[0] == res.efforts[0]
    assert math.isnan(back.efforts[1].grade_pct)  # NaN survives as None → NaN
    assert back.warnings == ("bad CRC",) and back.extra == {"k": 1}
    assert back.distance_m == res.distance_m


def test_key_includes_goal_and_version(tmp_path: Path) -> None:
    from milepace import __version__

    cache = ResultCache(tmp_path)
    res = FileResult(source="a.fit", content_hash="cd" * 16, status="not_run", sport="cycling")
    cache.put(res, 330.0)
    assert cache.get("cd" * 16, 330.0) is not None
    assert cache.get("cd" * 16, 300.0) is None
    path = cache.path_for("cd" * 16, 330.0)
    from milepace.block.cache import code_fingerprint

    assert path.parent.parent.name == f"block-v{__version__}-s{SCHEMA_VERSION}-{code_fingerprint()}"
    assert len(code_fingerprint()) == 8


def test_disabled_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path, enabled=False)
    cache.put(FileResult(source="a.fit", content_hash="ef" * 16, status="not_run"), 330.0)
    assert not any(tmp_path.rglob("*.json"))
    assert cache.get("ef" * 16, 330.0) is None


def test_unexpected_errors_are_never_cached(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(
        FileResult(source="a.fit", content_hash="01" * 16, status="error", error="bug", unexpected=True),
        330.0,
    )
    assert cache.get("01" * 16, 330.0) is None
    cache.put(
        FileResult(source="a.fit", content_hash="02" * 16, status="error", error="not a FIT file"), 330.0
    )
    hit = cache.get("02" * 16, 330.0)
    assert hit is not None and hit.error == "not a FIT file"


@pytest.mark.parametrize("content", ["{not json", json.dumps({"source": "a.fit"}), json.dumps([1, 2])])
def test_corrupt_entries_are_misses(tmp_path: Path, content: str) -> None:
    cache = ResultCache(tmp_path)
    path = cache.path_for("03" * 16, 330.0)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert cache.get("03" * 16, 330.0) is None


def test_entry_for_other_content_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(FileResult(source="a.fit", content_hash="04" * 16, status="not_run"), 330.0)
    cache.path_for("04" * 16, 330.0).rename(cache.path_for("05" * 16, 330.0))  # same folder
    assert cache.get("05" * 16, 330.0) is None


def test_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache dir should be")
    cache = ResultCache(blocker)
    cache.put(FileResult(source="a.fit", content_hash="06" * 16, status="not_run"), 330.0)  # no exception
    assert cache.stores == 0


def test_env_var_sets_the_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir().name == "milepace"


def test_key_index_maps_a_file_identity_to_its_content(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    key = "/data/run.fit|2049:77|1234|1700000000000000000|1700000000000000000|"
    assert cache.digest_for(key) is None
    cache.remember(key, "ab" * 16)
    assert cache.digest_for(key) == "ab" * 16
    assert cache.digest_for(key.replace("1234", "1235")) is None  # another size: another identity
    cache.remember(key, "not a digest")  # refused: only 32 hex digits are recorded
    assert cache.digest_for(key) == "ab" * 16
    # an entry whose recorded key differs (a hash collision, a damaged file) is a miss
    cache.key_path(key).write_text(f"{key}x\t{'cd' * 16}\n")
    assert cache.digest_for(key) is None
    assert ResultCache(tmp_path, enabled=False).digest_for(key) is None
