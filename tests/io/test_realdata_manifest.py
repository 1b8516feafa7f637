"""Every real device file in ``../shared/realdata/MANIFEST.tsv`` through the whole registry.

Each file must either read into a valid Activity (possibly with data-quality
warnings, for damaged files) or be rejected with a ``MilepaceError`` — never
any other exception, never a reader crash wrapped by the registry. The
per-format readers' own tests compare values with fitdecode and gpxpy; this
one checks the front door over everything.

Run as a script for the tally and the list of rejected files with their errors::

    .venv/bin/python -m tests.io.test_realdata_manifest
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from milepace.activity import validate
from milepace.errors import MilepaceError
from milepace.io import ReadResult, read_many
from tests.conftest import REALDATA

MANIFEST = REALDATA / "MANIFEST.tsv"


def manifest_rows() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


ROWS = manifest_rows()


def outcome(results: list[ReadResult]) -> str:
    """``read``, ``partial`` (read with warnings) or ``rejected``."""
    if all(r.ok for r in results):
        return "partial" if any(r.warnings for r in results) else "read"
    return "rejected"


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[Counter[str]]:
    counts: Counter[str] = Counter()
    yield counts
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and counts:
        line = f"realdata manifest: {sum(counts.values())} files: " + ", ".join(
            f"{counts[k]} {k}" for k in ("read", "partial", "rejected")
        )
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)


@pytest.mark.realdata
@pytest.mark.parametrize("row", ROWS or [None], ids=[r["relpath"] for r in ROWS] or ["no-realdata"])
def test_manifest_file_reads_or_is_rejected_cleanly(
    row: dict[str, str] | None, realdata: Path, tally: Counter[str]
) -> None:
    assert row is not None  # the realdata fixture skips when the manifest is absent
    path = realdata / row["relpath"]
    results = list(read_many([path]))  # any exception escaping here fails the test
    assert len(results) == 1, [r.source for r in results]
    [result] = results
    assert result.source == str(path)
    assert not result.unexpected, f"reader crashed: {result.error!r} caused by {result.error.__cause__!r}"
    if result.ok:
        assert result.activity is not None
        validate(result.activity)
        assert len(result.activity.records) > 0
        # the content decided the format; the manifest says what it is
        assert result.activity.meta.format == row["format"].lower().removesuffix(".gz")
        assert result.activity.meta.source == str(path)
    else:
        assert isinstance(result.error, MilepaceError)
        message = str(result.error)
        assert message and "\n" not in message and "Traceback" not in message
    tally[outcome(results)] += 1


def main() -> int:
    """Print the tally and each rejected file with its one-line error."""
    if not ROWS:
        print(f"no manifest at {MANIFEST}")
        return 1
    counts: Counter[str] = Counter()
    rejected: list[tuple[str, str]] = []
    unexpected: list[tuple[str, str]] = []
    for row in ROWS:
        results = list(read_many([REALDATA / row["relpath"]]))
        kind = outcome(results)
        counts[kind] += 1
        for r in results:
            if r.unexpected:
                unexpected.append((row["relpath"], str(r.error)))
            elif not r.ok:
                rejected.append((row["relpath"], str(r.error)))
    print(
        f"{len(ROWS)} files: {counts['read']} read, {counts['partial']} partial (warnings), {counts['rejected']} rejected"
    )
    print(f"reader crashes wrapped by the registry: {len(unexpected)}")
    for relpath, message in unexpected:
        print(f"  CRASH {relpath}: {message}")
    for relpath, message in rejected:
        print(f"  {relpath}: {message}")
    return 0


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    sys.exit(main())
