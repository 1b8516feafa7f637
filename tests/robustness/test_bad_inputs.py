"""Every generated bad input gets its documented answer (see ``badfiles.py`` and the README's "Bad input" section).

* damaged but partly readable → the data up to the damage and a warning in ``Activity.warnings``;
* unreadable → :class:`~milepace.errors.ParseError` with the path (and the FIT byte offset where the
  damage is), and on the command line ``error: FILE: sentence`` with exit code 2;
* hostile → refused (the time, memory and file-access bounds are in ``test_hostile.py``);
* odd but valid → read.

Expected outcomes come from the FIT protocol (a message cut in two cannot be decoded; everything before
it can) and from how the files were damaged (how many records precede the cut), never from the readers'
output.
"""

from __future__ import annotations

import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import milepace
from milepace.activity import Activity, validate
from milepace.cli import _register, app
from milepace.errors import HostileInput, MilepaceError, ParseError
from tests.robustness import badfiles as bf

SECRET_PATH = str(Path(tempfile.gettempdir()) / "milepace-robustness-secret.txt")
BAD = {f.name: f for f in bf.all_bad_files(SECRET_PATH)}
SINGLE = [name for name in BAD if not name.endswith(".zip")]
ARCHIVES = [name for name in BAD if name.endswith(".zip")]


@pytest.fixture(scope="module")
def good() -> dict[str, Activity]:
    """The undamaged files, read once (the reference for "data up to the damage")."""
    return {
        "fit": milepace.read_bytes(bf.good_fit(), "good.fit"),
        "gpx": milepace.read_bytes(bf.good_gpx(), "good.gpx"),
        "tcx": milepace.read_bytes(bf.good_tcx(), "good.tcx"),
    }


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bad file written to one folder (the secret file the external entities name, too)."""
    Path(SECRET_PATH).write_text(bf.LOCAL_SECRET + "\n")
    folder = tmp_path_factory.mktemp("bad")
    for f in BAD.values():
        (folder / f.name).write_bytes(f.data)
    return folder


def _fmt(name: str) -> str:
    return name.removesuffix(".gz").rsplit(".", 1)[-1]


def _read_quietly(path: Path) -> Activity:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return milepace.read(path)


def test_the_valid_sources_are_valid(good: dict[str, Activity]) -> None:
    # the damage is only meaningful if the file it starts from reads cleanly and completely
    for fmt, act in good.items():
        validate(act)
        assert len(act.records) == bf.n_records(), fmt
        assert act.warnings == (), fmt


def test_the_generator_covers_the_issue_list() -> None:
    # issue 8's list of bad inputs, each present at least once
    names = set(BAD)
    for needed in (
        "empty.fit",
        "cut_in_header.fit",
        "header_only.fit",
        "cut_in_first_definition.fit",
        "cut_in_later_definition.fit",
        "cut_mid_record.fit",
        "cut_before_crc.fit",
        "bitflips_1.fit",
        "data_size_too_big.fit",
        "data_size_too_small.fit",
        "unknown_base_type.fit",
        "no_times.gpx",
        "unsorted_times.tcx",
        "duplicate_points.gpx",
        "points_without_position.tcx",
        "mixed_namespaces.gpx",
        "invalid_utf8.gpx",
        "billion_laughs.gpx",
        "external_entity.tcx",
        "bomb_honest.zip",
        "escaping_names.zip",
        "not_gzip.gz",
        "nested.zip",
    ):
        assert needed in names


@pytest.mark.parametrize("name", SINGLE)
def test_single_file_gets_its_documented_answer(name: str, on_disk: Path, good: dict[str, Activity]) -> None:
    f = BAD[name]
    path = on_disk / name
    if f.expect in ("error", "hostile"):
        assert f.error is not None
        with pytest.raises(f.error) as info:
            _read_quietly(path)
        err = info.value
        assert isinstance(err, ParseError)
        assert err.path is not None and err.path.startswith(str(path)), "the error must name the file"
        sentence = str(err)
        assert "\n" not in sentence and 10 < len(sentence) < 400
        if f.offset is not None:  # inside the message that could not be decoded, at most the end of the data
            assert err.offset is not None and f.offset <= err.offset <= len(f.data)
        elif _fmt(name) == "fit" and f.data and not isinstance(err, HostileInput):
            assert err.offset is not None, "a FIT error must say at which byte the damage is"
        return
    if f.expect == "any":
        try:
            act = _read_quietly(path)
        except MilepaceError:
            return
        validate(act)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        act = milepace.read(path)
    validate(act)
    n = len(act.records)
    assert n >= f.min_records
    if f.max_records is not None:
        assert n <= f.max_records
    if f.expect == "partial":
        assert act.warnings, "damage that loses or may change data must be reported"
        assert any(issubclass(w.category, milepace.DataQualityWarning) for w in caught)
        ref = good[_fmt(name)].records
        # what was kept is the undamaged file's data: the same instants, and for cuts the same values
        assert act.records.index.isin(ref.index).all()
        if name.startswith("cut_") and _fmt(name) == "fit":
            assert act.records.index.equals(ref.index[:n])
            assert act.records.equals(ref.iloc[:n][act.records.columns])


def test_cut_fit_keeps_exactly_the_records_before_the_cut(good: dict[str, Activity]) -> None:
    # cut mid-record: every record message before the cut decodes, the one cut in two does not
    f = BAD["cut_mid_record.fit"]
    act = _read_quietly_bytes(f.data, f.name)
    assert len(act.records) == f.max_records
    assert act.records.index[-1] == good["fit"].records.index[len(act.records) - 1]
    assert any("truncated" in w for w in act.warnings)


def _read_quietly_bytes(data: bytes, name: str) -> Activity:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return milepace.read_bytes(data, name)


def test_bad_crc_keeps_every_value_and_says_so(good: dict[str, Activity]) -> None:
    act = _read_quietly_bytes(BAD["bad_file_crc.fit"].data, "bad_file_crc.fit")
    assert act.records.equals(good["fit"].records)
    assert any("checksum" in w for w in act.warnings)


def test_unsorted_and_repeated_points_come_out_sorted_and_unique(good: dict[str, Activity]) -> None:
    for fmt in ("gpx", "tcx"):
        ref = good[fmt].records
        for name in (f"unsorted_times.{fmt}", f"duplicate_points.{fmt}"):
            act = _read_quietly_bytes(BAD[name].data, name)
            assert act.records.index.equals(ref.index), name
            cols = [c for c in ref.columns if c != "distance_m"]
            assert act.records[cols].equals(ref[cols]), name
        # times out of order are a device problem worth a warning; exact repeats are not
        assert _read_quietly_bytes(BAD[f"unsorted_times.{fmt}"].data, "u").warnings
        assert not _read_quietly_bytes(BAD[f"duplicate_points.{fmt}"].data, "d").warnings


def test_repeated_times_with_different_values_are_reported() -> None:
    for fmt in ("gpx", "tcx"):
        name = f"duplicate_times_disagreeing.{fmt}"
        act = _read_quietly_bytes(BAD[name].data, name)
        assert len(act.records) == bf.n_records()
        assert act.warnings, name


def test_points_without_position_have_nan_positions_not_invented_ones(good: dict[str, Activity]) -> None:
    for fmt in ("gpx", "tcx"):
        name = f"points_without_position.{fmt}"
        act = _read_quietly_bytes(BAD[name].data, name)
        lat = act.records["lat_deg"]
        assert lat.isna().sum() == 60, name  # the 60 points whose position was removed
        assert lat.notna().sum() == bf.n_records() - 60


def test_mixed_gpx_namespaces_read_every_point(good: dict[str, Activity]) -> None:
    act = _read_quietly_bytes(BAD["mixed_namespaces.gpx"].data, "mixed_namespaces.gpx")
    assert act.records.index.equals(good["gpx"].records.index)
    assert act.records["heart_rate_bpm"].equals(good["gpx"].records["heart_rate_bpm"])


def test_invalid_utf8_keeps_the_data_and_says_so(good: dict[str, Activity]) -> None:
    for fmt in ("gpx", "tcx"):
        act = _read_quietly_bytes(BAD[f"invalid_utf8.{fmt}"].data, f"invalid_utf8.{fmt}")
        assert act.records.equals(good[fmt].records)
        assert any("UTF-8" in w for w in act.warnings)


@pytest.mark.parametrize("name", ARCHIVES)
def test_archives_read_every_good_member_and_report_every_bad_one(name: str, on_disk: Path) -> None:
    f = BAD[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = list(milepace.read_many(on_disk / name))
    assert results, "an archive always gives at least one result"
    assert not any(r.unexpected for r in results)
    for r in results:
        assert r.source.startswith(str(on_disk / name))
        assert (r.activity is None) != (r.error is None)
    if f.expect == "ok":
        assert all(r.ok for r in results)
        members = zipfile.ZipFile(on_disk / name).namelist()
        if name == "escaping_names.zip":
            assert len(results) == len(members)  # ../, absolute and drive-letter names are labels only
            assert all(len(r.activity.records) == bf.n_records() for r in results if r.activity is not None)
    elif f.expect == "hostile":
        assert f.error is not None
        assert any(isinstance(r.error, f.error) for r in results)
    else:
        assert any(isinstance(r.error, ParseError) for r in results)


def test_escaping_member_names_are_kept_as_labels(on_disk: Path) -> None:
    results = list(milepace.read_many(on_disk / "escaping_names.zip"))
    sources = sorted(r.source.split("!", 1)[1] for r in results)
    assert sources == sorted(["../../escape_up.fit", "/abs/escape_abs.gpx", "C:\\windows\\escape_win.fit"])


runner = CliRunner()


@pytest.fixture(autouse=False)
def cli() -> CliRunner:
    _register()
    return runner


@pytest.mark.parametrize(
    "name", ["empty.fit", "header_only.fit", "cut_in_first_definition.fit", "no_times.gpx", "not_gzip.gz"]
)
def test_cli_says_error_file_sentence_and_exits_2(name: str, on_disk: Path, cli: CliRunner) -> None:
    path = str(on_disk / name)
    result = cli.invoke(app, ["analyze", path, "--goal-mile", "5:30"])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert "Traceback" not in result.output + result.stderr


def test_cli_batch_goes_on_after_bad_files(on_disk: Path, tmp_path: Path, cli: CliRunner) -> None:
    good_path = tmp_path / "good.fit"
    good_path.write_bytes(bf.good_fit())
    bad = [str(on_disk / n) for n in ("empty.fit", "billion_laughs.gpx", "cut_in_header.fit")]
    result = cli.invoke(app, ["analyze", *bad, str(good_path), "--goal-mile", "5:30", "--json"])
    assert result.exit_code != 0
    import json

    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [r["file"] for r in rows] == [*bad, str(good_path)]
    assert [r["status"] for r in rows] == ["error", "error", "error", "ok"]
    assert all(r["error"] and "\n" not in r["error"] for r in rows[:3])


@pytest.mark.parametrize("name", ["no_times.gpx", "no_times.tcx"])
def test_cli_error_line_names_the_file_once(name: str, on_disk: Path, cli: CliRunner) -> None:
    # the GPX/TCX readers put the path inside their messages; the line must not repeat it
    path = str(on_disk / name)
    result = cli.invoke(app, ["analyze", path, "--goal-mile", "5:30"])
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.count(name) == 1, line


def _unknown_base_type_on(numbers: set[int]) -> bytes:
    """The valid FIT with base type 0x55 (not in the FIT profile) declared for record fields ``numbers``."""
    data = bf.good_fit()
    body = bytearray(data[:-2])
    for d in bf.walk_fit(data):
        if d.kind == "definition" and d.global_num == bf.RECORD:
            for i, (num, _size, _base) in enumerate(d.fields):
                if num in numbers:
                    body[d.offset + 6 + 3 * i + 2] = 0x55
    return bf.with_fit_crcs(bytes(body))


def test_unknown_base_type_on_a_multibyte_field_is_not_read_as_garbage_silently(
    good: dict[str, Activity],
) -> None:
    # Read as bytes, a 4-byte latitude would keep its first byte (~1e-5 degrees); the FIT SDK refuses
    # such a definition ('Invalid field definition base type'). milepace drops the field and says so.
    act = _read_quietly_bytes(_unknown_base_type_on({0, 1}), "unknown_base_type_position.fit")
    ref = good["fit"].records
    if "lat_deg" in act.records and act.records["lat_deg"].notna().any():
        assert (act.records["lat_deg"] - ref["lat_deg"]).abs().max() < 1e-6
    else:
        assert any("base type" in w and "position_lat" in w for w in act.warnings)
    # the other channels are untouched
    assert len(act.records) == len(ref)
    assert act.records["heart_rate_bpm"].equals(ref["heart_rate_bpm"])
