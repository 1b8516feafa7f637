"""``milepace block`` on good files mixed with every bad input: every good file reported, every bad one listed.

The good files are ``sample_data`` (default run) and the labelled corpus (``../shared/corpus``, 56
files, with ``-m slow``); the bad ones are every file of ``badfiles.all_bad_files()`` plus the odd activities of
``badfiles.odd_files()``, all in one folder.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import milepace
from milepace.block.model import BlockReport
from milepace.cli import _register, app
from tests.conftest import CORPUS, SAMPLE_DATA
from tests.robustness import badfiles as bf

ACTIVITY_ENDINGS = (".fit", ".gpx", ".tcx", ".zip", ".gz")
NOT_ACTIVITY_NAMES = {"not_gzip.gz"}
"""Bad files a folder walk rightly passes over: a ``.gz`` without an activity name whose content is not
gzip, FIT or XML is some other file (``read`` on it directly says "named .gz but is not gzip-compressed")."""


GOOD_FOLDERS = [
    pytest.param(SAMPLE_DATA, id="sample_data"),
    pytest.param(CORPUS, id="corpus", marks=[pytest.mark.slow, pytest.mark.corpus]),
]


@pytest.fixture(scope="module", params=GOOD_FOLDERS)
def mixed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[str], list[bf.BadFile], list[str]]:
    good_folder: Path = request.param
    if not good_folder.is_dir():
        pytest.skip(f"{good_folder} not found")
    folder = tmp_path_factory.mktemp("mixed")
    good = sorted(p.name for p in good_folder.iterdir() if p.name.lower().endswith(ACTIVITY_ENDINGS))
    for name in good:
        shutil.copyfile(good_folder / name, folder / name)
    bad = bf.all_bad_files()
    odd = bf.odd_files()
    files: list[bf.BadFile | bf.OddFile] = [*bad, *odd]
    for f in files:
        assert not (folder / f.name).exists(), f"{f.name} clashes with a good file"
        (folder / f.name).write_bytes(f.data)
    return folder, good, bad, [f.name for f in odd]


@pytest.fixture(scope="module")
def report(
    mixed: tuple[Path, list[str], list[bf.BadFile], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> BlockReport:
    folder = mixed[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return milepace.block(folder, goal_mile="5:30", cache=False, engine="serial")


def _file_of(source: str) -> str:
    return os.path.basename(source.split("!", 1)[0])


def test_every_good_file_is_reported(
    mixed: tuple[Path, list[str], list[bf.BadFile], list[str]], report: BlockReport
) -> None:
    _, good, _, _ = mixed
    analysed = {_file_of(a.source) for a in report.activities}
    for name in good:
        if name.endswith(".zip"):  # an export: each of its members is an activity of its own
            assert name in analysed or any(_file_of(s.source) == name for s in report.skipped), name
            continue
        assert name in analysed, f"good file {name} missing from the block report"
    assert not any(_file_of(e.source) in good for e in report.errors)


def test_every_bad_file_is_listed(
    mixed: tuple[Path, list[str], list[bf.BadFile], list[str]], report: BlockReport
) -> None:
    _, _, bad, odd = mixed
    listed: dict[str, list[str]] = {}
    for a in report.activities:
        listed.setdefault(_file_of(a.source), []).append("activity")
    for s in report.skipped:
        listed.setdefault(_file_of(s.source), []).append(s.reason)
    for e in report.errors:
        listed.setdefault(_file_of(e.source), []).append("error")
    for f in bad:
        if f.name in NOT_ACTIVITY_NAMES:
            assert f.name not in listed
            continue
        assert f.name in listed, f"bad file {f.name} is not in the report"
        if f.expect in ("error", "hostile") and not f.name.endswith(".zip"):
            # the same bytes as an earlier bad file (the three empty files) are listed as its duplicate
            assert listed[f.name] in (["error"], ["duplicate"]), (f.name, listed[f.name])
        if f.expect == "hostile" and f.name.endswith(".zip"):
            assert "error" in listed[f.name], (f.name, listed[f.name])
    for name in odd:
        assert name in listed, f"odd file {name} is not in the report"
    for name in ("ride.fit", "ride.gpx", "swim.fit"):
        assert listed[name] == ["not a run"]
    assert report.stats.failed == len(report.errors)


def test_errors_are_one_sentence_and_none_is_a_reader_bug(report: BlockReport) -> None:
    assert report.errors
    for e in report.errors:
        assert e.error and "\n" not in e.error and "Traceback" not in e.error
        assert e.error_type != "UnexpectedReaderError", e


def test_cli_block_lists_the_bad_files_and_reports_the_good_one(tmp_path: Path) -> None:
    names = (
        "empty.fit",
        "billion_laughs.gpx",
        "cut_in_header.fit",
        "bomb_many_members.zip",
        "cut_mid_record.fit",
    )
    bad = {f.name: f for f in bf.all_bad_files()}
    for name in names:
        (tmp_path / name).write_bytes(bad[name].data)
    shutil.copyfile(SAMPLE_DATA / "track_6x800.fit", tmp_path / "track_6x800.fit")
    _register()
    result = CliRunner().invoke(
        app,
        ["block", str(tmp_path), "--goal-mile", "5:30", "--no-cache", "--engine", "serial", "--json", "-q"],
    )
    assert "Traceback" not in result.output
    doc = json.loads(result.stdout)
    errors = " ".join(json.dumps(e) for e in doc["errors"])
    for name in ("empty.fit", "billion_laughs.gpx", "cut_in_header.fit", "bomb_many_members.zip"):
        assert name in errors, name
    sources = " ".join(a["source"] for a in doc["activities"])
    assert "track_6x800.fit" in sources and "cut_mid_record.fit" in sources


def test_a_copy_cut_short_does_not_cost_the_complete_recording(tmp_path: Path) -> None:
    # the same run twice: a copy cut in the middle (listed first) and the complete file
    cut = next(f for f in bf.all_bad_files() if f.name == "cut_mid_record.fit")
    (tmp_path / "a_cut.fit").write_bytes(cut.data)
    (tmp_path / "b_full.fit").write_bytes(bf.good_fit())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = milepace.block(tmp_path, goal_mile="5:30", cache=False, engine="serial")
    assert [_file_of(a.source) for a in report.activities] == ["b_full.fit"]
    assert [(_file_of(s.source), s.reason) for s in report.skipped] == [("a_cut.fit", "duplicate")]
    # the kept run is the whole session: its distance is the device's 0-to-end distance (hand: synth truth ±1 %)
    assert report.activities[0].distance_m == pytest.approx(bf.session().true_distance_m, rel=0.01)
