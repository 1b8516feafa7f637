"""Hardened XML parsing: entities refused, nothing read from outside, repairs announced."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest
from lxml import etree

from milepace.errors import DataQualityWarning, HostileInput, ParseError
from milepace.io import xmlsafe
from milepace.io.xmlsafe import parse_xml, parse_xml_notes, root_name


def billion_laughs(levels: int = 10) -> bytes:
    """The classic entity bomb: 10 levels of 10 references expand to 10**10 'lol's (~30 GB)."""
    decls = [b'<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        decls.append(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10))
    return (
        b'<?xml version="1.0"?><!DOCTYPE gpx ['
        + b"".join(decls)
        + b"]><gpx><name>&lol%d;</name></gpx>" % (levels - 1)
    )


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(HostileInput, match="declares XML entities"):
        parse_xml_notes(billion_laughs(), "bomb.gpx")
    assert time.perf_counter() - start < 0.5


def test_utf16_entity_declaration_is_refused_after_parsing() -> None:
    # the byte scan cannot see "<!ENTITY" in UTF-16; the parsed DTD is checked instead
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE g [<!ENTITY a "AAA">]><gpx><n>&a;</n></gpx>'
    with pytest.raises(HostileInput):
        parse_xml_notes(doc.encode("utf-16"), "bomb16.gpx")


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">]><gpx><name>&x;</name></gpx>'
    ).encode()
    with pytest.raises(HostileInput) as info:
        parse_xml_notes(doc, "xxe.gpx")
    assert "TOP-SECRET" not in str(info.value)
    # and the parser itself, even without our byte scan, leaves the reference unexpanded
    root = etree.fromstring(doc, xmlsafe._STRICT)
    assert b"TOP-SECRET" not in etree.tostring(root)


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ELEMENT gpx ANY><!ATTLIST gpx creator CDATA "FROM-DTD">')
    doc = f'<?xml version="1.0"?><!DOCTYPE gpx SYSTEM "file://{dtd}"><gpx/>'.encode()
    root, notes = parse_xml_notes(doc, "dtd.gpx")
    assert root.get("creator") is None  # a loaded DTD would have supplied the default attribute
    assert notes == []


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_XML_BYTES", 100)
    with pytest.raises(ParseError, match="MiB"):
        parse_xml_notes(b"<gpx>" + b" " * 200 + b"</gpx>", "big.gpx")


def test_well_formed_document_has_no_notes() -> None:
    root, notes = parse_xml_notes(b'<?xml version="1.0"?>\n<gpx><trk/></gpx>', "ok.gpx")
    assert root.tag == "gpx" and notes == []


def test_blank_text_between_elements_is_dropped_but_values_keep_theirs() -> None:
    # indentation between elements is not kept (fewer nodes to build); a leaf's own text is,
    # even when it is only whitespace, and so is text under xml:space="preserve" (libxml2
    # XML_PARSE_NOBLANKS drops a blank run only when an element follows it inside its parent)
    doc = (
        b'<gpx>\n  <trk>\n    <name>  </name>\n    <desc xml:space="preserve">\n  <b/></desc>\n'
        b"    <type>run</type>\n  </trk>\n</gpx>"
    )
    root, notes = parse_xml_notes(doc, "blank.gpx")
    trk = root[0]
    assert notes == []
    assert root.text is None and trk.text is None and trk[0].tail is None
    assert trk[0].text == "  "
    assert trk[1].text == "\n  "
    assert trk[2].text == "run"


@pytest.mark.parametrize("prefix", [b"\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_leading_whitespace_and_bom_are_harmless(prefix: bytes) -> None:
    root, notes = parse_xml_notes(
        prefix + b'<?xml version="1.0" encoding="UTF-8"?><gpx><trk/></gpx>', "ws.gpx"
    )
    assert root.tag == "gpx" and notes == []


def test_undeclared_prefix_is_declared_with_a_note() -> None:
    doc = (
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="2">'
        b"<extensions><gpxdata:hr>151</gpxdata:hr></extensions></trkpt></trkseg></trk></gpx>"
    )
    root, notes = parse_xml_notes(doc, "unbound.gpx")
    hr = [el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("}hr")]
    assert [el.text for el in hr] == ["151"]
    assert len(notes) == 1 and "gpxdata" in notes[0]


def test_invalid_utf8_is_replaced_with_a_note() -> None:
    doc = b'<?xml version="1.0" encoding="UTF-8"?><gpx><name>M\xfcnchen \xff</name></gpx>'
    root, notes = parse_xml_notes(doc, "latin.gpx")
    assert root[0].text == "M\ufffdnchen \ufffd"
    assert notes == ["2 invalid UTF-8 byte sequence(s) were replaced by U+FFFD"]


def test_truncated_document_keeps_what_parsed() -> None:
    doc = b"<gpx><trk><trkseg><trkpt lat='1' lon='2'/><trkpt lat='3' lon='4'/><trkpt lat="
    root, notes = parse_xml_notes(doc, "cut.gpx")
    lats = [el.get("lat") for el in root.iter("trkpt")]
    assert lats[:2] == ["1", "3"]
    assert len(notes) == 1 and "damaged" in notes[0]


@pytest.mark.parametrize("data", [b"", b"hello", b"\x0e\x10\x00\x00.FIT\x00\x00"])
def test_not_xml_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="not well-formed XML"):
        parse_xml_notes(data, "junk")


def test_parse_xml_warns_for_repairs() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_xml(b'<?xml version="1.0" encoding="UTF-8"?><gpx><name>\xff</name></gpx>', "w.gpx")
    assert any(issubclass(w.category, DataQualityWarning) for w in caught)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?><gpx version="1.1">', "gpx"),
        (
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- made by x --><TrainingCenterDatabase xmlns="a">',
            "TrainingCenterDatabase",
        ),
        (b'<!DOCTYPE gpx [<!ELEMENT gpx ANY>]><ns:gpx xmlns:ns="x"/>', "gpx"),
        (b'  <?xml version="1.0"?><gp', "gp"),  # cut off inside the name: the name so far
        ('<?xml version="1.0" encoding="UTF-16"?><gpx/>'.encode("utf-16"), "gpx"),
        (b"\x0e\x10\x00\x00.FIT", None),
        (b"", None),
        (b"just text", None),
    ],
)
def test_root_name(head: bytes, expected: str | None) -> None:
    assert root_name(head) == expected
