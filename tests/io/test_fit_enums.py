"""``io/fit_enums.py`` equals ``fitdecode.profile`` (the reference), and reading a FIT does not import fitdecode."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fitdecode import profile

from milepace.io.fit_enums import ENUMS
from milepace.io.fit_names import enum_name, product_name

REGENERATE = (
    "regenerate src/milepace/io/fit_enums.py from fitdecode.profile: for each type in ENUMS write "
    "dict(profile.FIELD_TYPES[type].enum) sorted by value"
)


@pytest.mark.parametrize("type_name", sorted(ENUMS))
def test_table_equals_fitdecode_profile(type_name: str) -> None:
    reference = dict(profile.FIELD_TYPES[type_name].enum)
    assert ENUMS[type_name] == reference, REGENERATE


def test_names_from_the_published_profile() -> None:
    # values from the FIT SDK Profile.xlsx (types sheet): sport 1 = running, sub_sport 4 = track,
    # lap_trigger 0 = manual, manufacturer 1 = garmin, garmin_product 1632 = fr220
    assert enum_name("sport", 1) == "running"
    assert enum_name("sub_sport", 4) == "track"
    assert enum_name("lap_trigger", 0.0) == "manual"
    assert enum_name("manufacturer", 1) == "garmin"
    assert product_name(1, 1632) == "fr220"
    assert enum_name("sport", float("nan")) is None
    assert enum_name("sport", 250) is None  # not in the profile (254 is "all")


def test_types_outside_the_table_still_come_from_fitdecode() -> None:
    # 'battery_status' is not a type milepace names; 3 = ok in the FIT profile
    assert "battery_status" not in ENUMS
    assert enum_name("battery_status", 3) == "ok"


_PROBE = """
import sys
from pathlib import Path
from milepace.synth import simulate, write_fit
from milepace.io.fit import read_fit
act = read_fit(write_fit(simulate("easy", seed=3, duration_s=600.0)), "probe.fit")
assert act.meta.decoder == "fit-fast", act.meta.decoder
assert act.meta.sport == "running", act.meta.sport
print("FITDECODE_LOADED=" + str("fitdecode" in sys.modules))
"""


def test_fast_read_does_not_import_fitdecode() -> None:
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=240)
    assert "FITDECODE_LOADED=False" in proc.stdout, proc.stdout + proc.stderr
