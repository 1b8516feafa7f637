"""``milepace block`` beyond one folder: --manifest, URLs, --group-by (JSON Lines and the squad table), usage errors.

The per-file analysis is faked (``tests/block/test_run.py``); the serial engine
runs it in this process, where the ``memory://`` filesystem lives. The Dask
engine itself is tested in ``tests/block/test_dask_engine.py``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import milepace.cli
from milepace.block import files as block_files
from milepace.cli import app
from tests.block.test_run import GOOD, FakeReader, _run

fsspec = pytest.importorskip("fsspec")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPACE_CACHE_DIR", str(tmp_path_factory.mktemp("milepace-cache")))


@pytest.fixture()
def squad(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ana's runs in ``memory://``, ben's on disk (one broken), one manifest for both."""
    monkeypatch.setattr(block_files, "_analyze", FakeReader())
    root = f"memory://milepace-cli-{uuid.uuid4().hex}"
    for name, data in GOOD.items():
        with fsspec.open(f"{root}/{name}", "wb") as fh:
            fh.write(data)
    (tmp_path / "ben").mkdir()
    (tmp_path / "ben" / "mon.gpx").write_bytes(_run("2026-03-02T18:00:00Z", 4.0))
    (tmp_path / "ben" / "bad.fit").write_bytes(b"junk")
    lines = (
        ["path,athlete"] + [f"{root}/{name},ana" for name in GOOD] + ["ben/mon.gpx,ben", "ben/bad.fit,ben"]
    )
    (tmp_path / "squad.csv").write_text("\n".join(lines) + "\n")
    yield tmp_path / "squad.csv"
    fsspec.filesystem("memory").rm(root, recursive=True)


def run_block(*args: str) -> tuple[int, str, str]:
    milepace.cli._register()
    result = CliRunner().invoke(app, ["block", *args, "--engine", "serial"])
    return result.exit_code, result.stdout, result.stderr


def test_manifest_is_one_block(squad: Path) -> None:
    code, out, err = run_block("--manifest", str(squad), "--goal-mile", "5:30", "--json")
    assert code == 1  # ben's broken file
    doc = json.loads(out)
    assert len(doc["activities"]) == len(GOOD) + 1
    assert err.splitlines() == [
        f"error: {squad.parent / 'ben' / 'bad.fit'}: is not FIT, GPX or TCX (starts with random bytes)"
    ]


def test_url_arguments_are_kept_as_urls(squad: Path) -> None:
    root = next(line.split(",")[0] for line in squad.read_text().splitlines() if line.startswith("memory://"))
    folder = root.rsplit("/", 2)[0]  # memory://milepace-cli-…/ (a Path would fold the //)
    code, out, err = run_block(folder, "--goal-mile", "5:30", "--json")
    assert code == 0, err
    assert sorted(a["source"] for a in json.loads(out)["activities"]) == sorted(f"{folder}/{n}" for n in GOOD)


def test_group_by_json_lines(squad: Path) -> None:
    code, out, err = run_block(
        "--manifest", str(squad), "--group-by", "athlete", "--goal-mile", "5:30", "--json"
    )
    assert code == 1
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["type"], d.get("athlete")) for d in docs] == [
        ("athlete", "ana"),
        ("athlete", "ben"),
        ("squad", None),
    ]
    assert len(docs[0]["activities"]) == len(GOOD) and len(docs[1]["activities"]) == 1
    assert [line.split(": ", 2)[2][:5] for line in err.splitlines()] == ["(ben)"]


def test_group_by_table(squad: Path) -> None:
    code, out, _ = run_block("--manifest", str(squad), "--group-by", "athlete", "--goal-mile", "5:30")
    assert code == 1
    assert "squad: 2 athletes, 7 files" in out
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.startswith("│")}
    # ana: weeks of 22 and 17 mi (test_run.GOOD) -> 19.5 mi/week, longest run 11 mi
    assert "19.5" in rows["ana"] and "11.0" in rows["ana"] and "5:30" in rows["ana"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal-mile", "5:30"], "give the block's files"),
        (["x.fit", "--goal-mile", "5:30", "--group-by", "athlete"], "--group-by needs --manifest"),
        (
            ["--manifest", "m.csv", "--goal-mile", "5:30", "--group-by", "athlete", "--markdown"],
            "not --markdown",
        ),
        (["x.fit", "--goal-mile", "5:30", "--scheduler", "tcp://127.0.0.1:8786"], "scheduler"),
        (["--manifest", "no-such.csv", "--goal-mile", "5:30"], "manifest no-such.csv cannot be read"),
    ],
)
def test_usage_errors_exit_two(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_block(*args)
    assert code == 2, err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
