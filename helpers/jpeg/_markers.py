"""The bytes of a JPEG file: markers and segments, written and read.

A JPEG file is a row of *segments* (ITU-T T.81 Annex B). Each starts with a
two-byte *marker*, 0xFF and a code: 0xD8 is SOI ("start of image"), 0xDB is
DQT ("define quantization table"), and so on. Most markers are followed by
a two-byte big-endian length, which counts itself but not the marker, and
that many bytes minus two of payload. SOI, EOI and RST0..RST7 stand alone.
After an SOS segment ("start of scan") come the scan's entropy-coded bytes
(T.81 calls them ECS), which run up to the next marker other than RSTn.

This private module keeps those byte-level details out of the rest of
:mod:`helpers.jpeg`: it writes the segments a baseline encoder needs, walks
the segments of a file, and reads the payloads a baseline decoder uses. It
knows bytes and Huffman specs only; zigzag order, the MCU layout and pixels
belong to the other files. Every problem with a file is a ``ValueError``
that says what is wrong and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..huffman import HuffmanSpec

# Marker codes (the byte after 0xFF) this module writes or reads by name.
SOF0, SOF1, SOF2, SOF3, DHT, SOI, EOI, SOS, DQT, DRI = 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xD8, 0xD9, 0xDA, 0xDB, 0xDD
SOF9, SOF10, DAC = 0xC9, 0xCA, 0xCC  # arithmetic-coded: sequential, progressive; the conditioning tables
APP0, APP14, COM = 0xE0, 0xEE, 0xFE
RST = range(0xD0, 0xD8)
#: Segments a decoder skips: comments, DNL (T.81 B.2.5: the height again), and RST or TEM out of a scan, as libjpeg.
IGNORED = {0xFE, 0xDC, 0x01, *RST}
APP = range(0xE0, 0xF0)
ECS = 0  # not a marker: stands for the entropy-coded bytes of a scan in walk()

#: Marker code -> name, as T.81 Table B.1 lists them.
NAMES = {0x01: "TEM", 0xC4: "DHT", 0xC8: "JPG", 0xCC: "DAC", 0xD8: "SOI", 0xD9: "EOI",
         0xDA: "SOS", 0xDB: "DQT", 0xDC: "DNL", 0xDD: "DRI", 0xDE: "DHP", 0xDF: "EXP",
         0xFE: "COM", ECS: "ECS"}  # fmt: skip
NAMES.update({0xC0 + n: f"SOF{n}" for n in range(16) if n not in (4, 8, 12)})
NAMES.update({code: f"RST{code - 0xD0}" for code in RST})
NAMES.update({code: f"APP{code - 0xE0}" for code in APP})
NAMES.update({0xF0 + n: f"JPG{n}" for n in range(14)})

STANDALONE = {0x01, SOI, EOI, *RST}  # markers without a length and payload

#: What a marker means for a decoder that cannot read it (ours reads SOF0, SOF1, SOF2, SOF3, SOF9 and SOF10).
UNSUPPORTED = {
    0xC5: "hierarchical JPEG (SOF5, differential sequential)",
    0xC6: "hierarchical JPEG (SOF6, differential progressive)",
    0xC7: "hierarchical JPEG (SOF7, differential lossless)",
    0xCB: "arithmetic-coded lossless JPEG (SOF11)",
    0xCD: "arithmetic-coded hierarchical JPEG (SOF13)",
    0xCE: "arithmetic-coded hierarchical JPEG (SOF14)",
    0xCF: "arithmetic-coded hierarchical JPEG (SOF15)",
    0xDE: "hierarchical JPEG (DHP segment)",
    0xDF: "hierarchical JPEG (EXP segment)",
    0xF7: "JPEG-LS (SOF55)",
}


def name(code: int) -> str:
    """The name of a marker code: ``name(0xD8) == "SOI"``; reserved codes as hex."""
    return NAMES.get(code, f"0x{code:02X}")


# --- Writing --------------------------------------------------------------------


def segment(code: int, payload: bytes) -> bytes:
    """Marker 0xFF ``code``, the length (payload + 2, big-endian) and the payload."""
    if len(payload) + 2 > 0xFFFF:
        raise ValueError(f"a {name(code)} payload holds at most 65533 bytes, got {len(payload)}")
    return bytes((0xFF, code)) + (len(payload) + 2).to_bytes(2, "big") + payload


def jfif() -> bytes:
    """APP0 JFIF 1.01 header: no density unit, aspect 1:1, no thumbnail (as libjpeg writes)."""
    version, units, density, thumbnail = (1, 1), 0, (1, 1), (0, 0)
    payload = b"JFIF\x00" + bytes((*version, units))
    payload += b"".join(d.to_bytes(2, "big") for d in density) + bytes(thumbnail)
    return segment(APP0, payload)


def dqt(table_id: int, zigzag: list[int]) -> bytes:
    """DQT with one 8-bit table: Pq = 0 and Tq in one byte, then 64 steps in zigzag order."""
    return segment(DQT, bytes((table_id,)) + bytes(zigzag))


def sof(code: int, height: int, width: int, components: list[tuple[int, int, int, int]]) -> bytes:
    """Frame header, baseline (SOF0) or progressive (SOF2). ``components`` lists (id, v, h, quantization table id).

    The file stores each component's factors as one byte, horizontal first: ``h << 4 | v``.
    """
    payload = bytes((8,)) + height.to_bytes(2, "big") + width.to_bytes(2, "big")
    payload += bytes((len(components),))
    payload += b"".join(bytes((ident, h << 4 | v, tq)) for ident, v, h, tq in components)
    return segment(code, payload)


def dht(table_class: int, table_id: int, spec: HuffmanSpec) -> bytes:
    """DHT with one table: Tc (0 = DC, 1 = AC) and Th in one byte, bits, then values."""
    return segment(DHT, bytes((table_class << 4 | table_id, *spec.bits, *spec.values)))


def sos(components: list[tuple[int, int, int]], band: tuple[int, int, int, int] = (0, 63, 0, 0)) -> bytes:
    """Scan header. ``components`` lists (id, DC table, AC table); ``band`` is (Ss, Se, Ah, Al).

    A sequential scan sends all 64 coefficients, Ss = 0 and Se = 63, with no
    successive approximation, Ah = Al = 0; a progressive scan sends the band
    Ss..Se, bits Al and up (Ah: the bit above, 0 on the first pass).
    """
    start, end, high, low = band
    payload = bytes((len(components),))
    payload += b"".join(bytes((ident, dc << 4 | ac)) for ident, dc, ac in components)
    return segment(SOS, payload + bytes((start, end, high << 4 | low)))


class Damage:
    """The defects found in a file so far: libjpeg's warnings ("Corrupt JPEG data: ...").

    libjpeg reads a damaged file as best it can and warns; so does the
    decoder, through :meth:`__call__`. With ``strict=True`` the first defect
    raises ``ValueError`` with the same message instead.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[str] = []

    def __call__(self, message: str) -> None:
        if self.strict:
            raise ValueError(f"{message} (strict=True: a damaged file is refused)")
        if message not in self.found:
            self.found.append(message)


# --- Walking a file ---------------------------------------------------------------

# The end of a scan's data: 0xFF (fill bytes 0xFF may repeat) and a byte that is not
# a stuffed 0x00 or RST0..RST7, which belong to the scan.
_END_OF_SCAN = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")
# Read leniently, as libjpeg: a marker below SOF0 (0x01..0xBF: none a scan can have) does not end
# the scan either; the scan's decoder skips it if it stands where an RST should (see _entropy._Reader).
_END_OF_SCAN_LENIENT = re.compile(rb"\xff+[\xc0-\xcf\xd8-\xfe]")


# Where libjpeg's next_marker() stops after skipping junk: 0xFF (fill bytes may repeat) and a
# byte that is neither 0x00 (FF 00 is skipped with the junk) nor 0xFF.
_MARKER_AFTER_JUNK = re.compile(rb"\xff+[^\x00\xff]")
#: What libjpeg's data source gives past the end of a file: FF D9 (a fake EOI) each time it is asked.
_FAKE_EOIS = b"\xff\xd9" * 0x8001


def _skip_junk(data: bytes, pos: int, damage: Damage, real: int) -> int:
    """Where the next marker starts, skipping bytes as libjpeg's ``next_marker`` does, and reporting them.

    Bytes past ``real`` are fake EOIs (see :func:`walk`): they are not counted.
    """
    marker = _MARKER_AFTER_JUNK.search(data, pos)
    found = marker.start() if marker else len(data)
    if found > real:
        where = "the end of the file"
    else:
        where = f"the marker {name(data[marker.end() - 1])}"
    if min(found, real) > pos:
        damage(f"corrupt JPEG data: {min(found, real) - pos} extraneous bytes at byte {pos}, before {where}")
    return found


def walk(data: bytes, damage: Damage | None = None) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(offset, code, payload)`` for every segment, in file order.

    ``offset`` is where the marker (or its fill bytes) starts and ``payload``
    the bytes after the length. After each SOS comes one more item with code
    :data:`ECS` (0): the scan's entropy-coded bytes, RST markers included.
    Stops after EOI; a file that simply ends (no EOI) stops there too, and
    the caller decides whether what it read is complete.

    Raises ``ValueError`` if the file does not start with SOI, if a segment
    runs past the end of the file or has a length below 2, or if something
    other than a marker stands where a marker should be. Every step moves
    forward by at least two bytes, so this always ends.

    With a lenient ``damage`` (``Damage(strict=False)``) two of these are read
    as libjpeg reads them, and reported to it: bytes that are not a marker
    where one should be are skipped up to the next marker ("extraneous
    bytes"); and a file that ends early (without its EOI, or inside a scan,
    a marker or a segment) is read on as if followed by ``FF D9 FF D9 ...``
    ("premature end of JPEG file"): libjpeg's data source gives a fake EOI
    each time it is asked for bytes past the end, so a cut segment is
    completed with these (a DHT of them is refused, a DQT of them is a
    table) and the file ends soon after.
    """
    if data[:2] != b"\xff\xd8":
        raise ValueError(f"not a JPEG file: it must start with the SOI marker FF D8, got {data[:2].hex(' ')!r}")
    lenient = damage is not None and not damage.strict
    real = len(data)  # the file's own bytes; lenient, the fake EOIs come after them
    if lenient:
        data += _FAKE_EOIS
    yield 0, SOI, b""
    pos = 2
    while pos < len(data):
        start = pos
        if data[pos] != 0xFF:
            if not lenient:
                raise ValueError(f"corrupt JPEG: expected a marker (0xFF) at byte {pos}, found 0x{data[pos]:02X}")
            pos = start = _skip_junk(data, pos, damage, real)
            if pos == len(data):
                return
        while pos < len(data) and data[pos] == 0xFF:  # 0xFF fill bytes may precede a marker
            pos += 1
        if pos == len(data):
            raise ValueError(f"truncated JPEG: the file ends inside the marker at byte {start}")
        code = data[pos]
        pos += 1
        if code == 0x00:
            if not lenient:
                raise ValueError(f"corrupt JPEG: FF 00 (stuffing) at byte {start}, outside a scan")
            pos = _skip_junk(data, start, damage, real)
            continue
        if pos > real:
            damage("premature end of JPEG file" + (f": it ends inside the marker at byte {start}" if start < real else ""))  # noqa: E501
        if code in STANDALONE:
            yield start, code, b""
            if code == EOI:
                return
            continue
        if pos + 2 > len(data):
            raise ValueError(f"truncated JPEG: the file ends inside the length of {name(code)} at byte {start}")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2:
            raise ValueError(f"corrupt JPEG: {name(code)} at byte {start} has length {length}, below 2")
        end = pos + length
        if end > len(data):
            raise ValueError(
                f"truncated JPEG: {name(code)} at byte {start} is {length} bytes long, "
                f"but only {len(data) - pos} bytes are left"
            )
        if end > real and pos <= real:
            damage(f"premature end of JPEG file: it ends inside {name(code)} at byte {start}")
        yield start, code, data[pos + 2 : end]
        pos = end
        if code == SOS:
            match = (_END_OF_SCAN_LENIENT if lenient else _END_OF_SCAN).search(data, pos)
            stop = match.start() if match else len(data)
            yield pos, ECS, data[pos:stop]
            pos = stop


# --- Reading segments ---------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One component of a frame: its id, sampling factors (v, h) and quantization table."""

    ident: int  # component id, the number scans refer to it by
    v: int  # vertical sampling factor
    h: int  # horizontal sampling factor
    tq: int  # quantization table id 0..3


@dataclass(frozen=True)
class Frame:
    """What an SOF segment says: marker, size and the components."""

    code: int
    height: int
    width: int
    components: tuple[Component, ...]

    @property
    def factors(self) -> tuple[tuple[int, int], ...]:
        """The sampling factors (v, h) of each component, in frame order."""
        return tuple((c.v, c.h) for c in self.components)


def _corrupt(what: str, message: str) -> ValueError:
    return ValueError(f"corrupt JPEG: {what} {message}")


def read_sof(code: int, payload: bytes) -> Frame:
    """Read a baseline (SOF0), extended sequential (SOF1), progressive (SOF2) or lossless (SOF3) 8-bit frame header, or SOF9, SOF10."""  # noqa: E501
    what = name(code)
    if len(payload) < 6:
        raise _corrupt(what, f"holds {len(payload)} bytes, at least 6 needed")
    precision = payload[0]
    height, width = int.from_bytes(payload[1:3], "big"), int.from_bytes(payload[3:5], "big")
    count = payload[5]
    if precision != 8:
        raise ValueError(
            f"{precision}-bit JPEG (sample precision {precision} in {what}) is not supported: "
            "only 8-bit baseline"
        )
    expected = 6 + 3 * count
    if len(payload) != expected:
        raise _corrupt(what, f"is {len(payload)} bytes long, {expected} expected")
    if count not in (1, 3, 4):
        raise ValueError(
            f"a JPEG with {count} components is not supported: only 1 (grey), 3 (colour) or 4 (CMYK)"
        )
    if height == 0:
        raise ValueError("height 0 (the height comes later, in a DNL marker) is not supported")
    if width == 0:
        raise _corrupt(what, "says the picture is 0 pixels wide")
    components = []
    for k in range(count):
        ident, factors, tq = payload[6 + 3 * k : 9 + 3 * k]
        h, v = factors >> 4, factors & 15
        if not (1 <= h <= 4 and 1 <= v <= 4):
            raise _corrupt(what, f"gives component {ident} sampling factors {h}x{v}: each must be 1 to 4")
        if tq > 3:
            raise _corrupt(what, f"gives component {ident} quantization table {tq}, not 0..3")
        components.append(Component(ident, v, h, tq))
    if len({c.ident for c in components}) < count:
        raise _corrupt(what, "lists a component id twice")
    hmax, vmax = max(c.h for c in components), max(c.v for c in components)
    for c in components:
        if hmax % c.h or vmax % c.v:  # libjpeg: "Fractional sampling not implemented yet"
            raise ValueError(
                f"sampling factors {c.h}x{c.v} of component {c.ident} against {hmax}x{vmax} are not supported: "
                "a sample would cover a fraction of pixels (libjpeg refuses it too)"
            )
    return Frame(code, height, width, tuple(components))


def read_dqt(payload: bytes) -> list[tuple[int, list[int]]]:
    """Read the tables of a DQT segment: (table id, 64 steps in zigzag order) each.

    Pq = 0 means 8-bit steps, Pq = 1 16-bit steps (big-endian).
    """
    tables, pos = [], 0
    while pos < len(payload):
        precision, table_id = payload[pos] >> 4, payload[pos] & 15
        if precision > 1 or table_id > 3:
            byte = f"0x{payload[pos]:02X}"
            raise _corrupt("DQT", f"table byte {byte}: precision must be 0 or 1, table id 0..3")
        size = 64 * (precision + 1)
        raw = payload[pos + 1 : pos + 1 + size]
        if len(raw) < size:
            raise _corrupt("DQT", f"table {table_id} needs {size} bytes, only {len(raw)} left")
        step = precision + 1
        steps = [int.from_bytes(raw[i : i + step], "big") for i in range(0, size, step)]
        tables.append((table_id, steps))
        pos += 1 + size
    return tables


def read_dht(payload: bytes, damage: Damage | None = None) -> list[tuple[int, int, HuffmanSpec | str]]:
    """Read the tables of a DHT segment: (class, id, spec) each; class 0 is DC, 1 AC.

    A lenient ``damage`` accepts, as libjpeg does, a table whose values
    list a symbol twice; and any other bad table comes back as the reason
    (a ``str``) it is bad: libjpeg refuses it only if a scan uses it.
    """
    tables, pos = [], 0
    while pos < len(payload):
        table_class, table_id = payload[pos] >> 4, payload[pos] & 15
        what = f"DHT table (class {table_class}, id {table_id})"
        if table_class > 1 or table_id > 3:
            raise _corrupt(what, "is not a DC (0) or AC (1) table with id 0..3")
        bits = payload[pos + 1 : pos + 17]
        count = sum(bits)
        values = payload[pos + 17 : pos + 17 + count]
        if len(bits) < 16 or len(values) < count:
            raise _corrupt(what, "runs past the end of its segment")
        lenient = damage is not None and not damage.strict
        try:
            if table_class == 0 and max(values, default=0) > 15:
                raise _corrupt(what, f"has DC symbol {max(values)}; a DC size is at most 15")
            try:
                spec = HuffmanSpec(tuple(bits), tuple(values))
            except ValueError as error:
                if "twice" not in str(error) or not lenient:
                    raise _corrupt(what, f"is not a valid Huffman table: {error}") from None
                spec = HuffmanSpec._with_repeats(tuple(bits), tuple(values))
        except ValueError as error:
            if not lenient:
                raise
            spec = str(error)  # libjpeg refuses a bad table only when a scan uses it
        tables.append((table_class, table_id, spec))
        pos += 17 + count
    return tables


def read_dac(payload: bytes) -> list[tuple[int, int, int]]:
    """Read a DAC segment: (class, table id, value) each; class 0 (DC) packs U and L as U * 16 + L, 1 (AC) is Kx."""
    if len(payload) % 2:
        raise _corrupt("DAC", f"is {len(payload)} bytes long: two bytes a table expected")
    entries = []
    for pos in range(0, len(payload), 2):
        table_class, table_id, value = payload[pos] >> 4, payload[pos] & 15, payload[pos + 1]
        if table_class > 1 or table_id > 3:
            raise _corrupt("DAC", f"names table class {table_class}, id {table_id}: class 0 or 1, id 0..3")
        if table_class == 0 and (value & 15) > (value >> 4):
            raise _corrupt("DAC", f"gives DC table {table_id} L = {value & 15} above U = {value >> 4}")
        if table_class == 1 and not 1 <= value <= 63:
            raise _corrupt("DAC", f"gives AC table {table_id} Kx = {value}, not 1..63")
        entries.append((table_class, table_id, value))
    return entries


def read_dri(payload: bytes) -> int:
    """Read a DRI segment: the restart interval in MCUs (0 = no restarts)."""
    if len(payload) != 2:
        raise _corrupt("DRI", f"payload is {len(payload)} bytes long, 2 expected")
    return int.from_bytes(payload, "big")


def read_sos(payload: bytes, frame: Frame) -> list[tuple[int, int, int]]:
    """Read a sequential scan header: (component index in the frame, DC table, AC table) each.

    Checks that the scan lists components of the frame, once each and in frame
    order, and that it is sequential: all 64 coefficients at once (Ss = 0,
    Se = 63, Ah = Al = 0), which is what a progressive scan is not.
    """
    scan, (start, end, high, low) = read_scan_header(payload, frame, progressive=False)
    return scan


class Band(NamedTuple):
    """What part of each block a scan sends (T.81 G.1.1): zigzag positions ``start..end``, bits from ``low`` up.

    ``high`` is 0 on a band's first scan, which sends each value shifted right
    by ``low`` bits; a refinement scan (``high`` = ``low`` + 1) sends bit
    ``low`` of each. A sequential scan is Band(0, 63, 0, 0).
    """

    start: int
    end: int
    high: int
    low: int


def read_scan_header(
    payload: bytes, frame: Frame, progressive: bool, damage: Damage | None = None
) -> tuple[list[tuple[int, int, int]], Band]:
    """Read an SOS header: (component index in the frame, DC table, AC table) each, and the band it sends.

    Checks that the scan lists components of the frame, once each and in frame
    order. Sequential (not ``progressive``): the band must be all 64 levels at
    once. Progressive, as libjpeg checks it: a DC band (0..0) or an AC band
    (1 <= start <= end <= 63) of one component; a refinement sends one bit,
    ``low = high - 1``; at most 13 bits either way. A lenient ``damage``
    takes a sequential scan's other band for all 64 levels, as libjpeg does
    (with its warning "invalid SOS parameters for sequential JPEG").
    """
    count = payload[0] if payload else 0
    if not 1 <= count <= 4 or len(payload) != 4 + 2 * count:
        raise _corrupt(
            "SOS",
            f"is {len(payload)} bytes long with {count} components: 1..4 components "
            "and 4 + 2 * count bytes expected",
        )
    index = {c.ident: i for i, c in enumerate(frame.components)}
    scan = []
    for k in range(count):
        ident, tables = payload[1 + 2 * k : 3 + 2 * k]
        if ident not in index:
            raise _corrupt("SOS", f"lists component {ident}, which the frame does not have")
        lenient = damage is not None and not damage.strict and frame.code not in (SOF9, SOF10)
        if (tables >> 4 > 3 or tables & 15 > 3) and not lenient:  # lenient: refused if the scan uses it
            pair = f"{tables >> 4} and {tables & 15}"
            raise _corrupt("SOS", f"gives component {ident} Huffman tables {pair}, not 0..3")
        scan.append((index[ident], tables >> 4, tables & 15))
    order = [i for i, _, _ in scan]
    if order != sorted(set(order)):
        raise _corrupt("SOS", "lists components twice or out of frame order")
    start, end, approximation = payload[-3:]
    band = Band(start, end, approximation >> 4, approximation & 15)
    if frame.code == SOF3:  # lossless: Ss is the predictor, Al the point transform (T.81 H.1.2)
        if not 1 <= start <= 7 or end != 0 or band.high != 0 or band.low > 7:
            raise _corrupt("SOS", f"of a lossless scan has predictor {start}, Se {end}, Ah and Al "
                                  f"0x{approximation:02X}: predictor 1..7, Se 0, Ah 0 and Al (point transform) 0..7 "
                                  "expected")
        return scan, band
    if not progressive and band != (0, 63, 0, 0) and damage is not None and not damage.strict:
        damage(f"corrupt JPEG data: invalid SOS parameters for sequential JPEG: band {start}..{end}, "
               f"successive approximation 0x{approximation:02X}; read as 0..63 (all levels)")
        band = Band(0, 63, 0, 0)
    if not progressive and band != (0, 63, 0, 0):
        raise ValueError(
            f"a scan with spectral selection {start}..{end} and successive approximation "
            f"0x{approximation:02X} in a sequential JPEG ({name(frame.code)}) is not supported: "
            "it sends coefficients 0..63 at once"
        )
    if progressive:
        dc = start == 0
        if (dc and end != 0) or (not dc and not start <= end <= 63) or (not dc and count != 1):
            raise _corrupt("SOS", f"sends band {start}..{end} of {count} components: a progressive scan sends "
                                  "the DC band (0..0) or an AC band (1..63) of one component")
        if band.high > 13 or band.low > 13 or (band.high and band.low != band.high - 1):
            raise _corrupt("SOS", f"has successive approximation 0x{approximation:02X}: bits from 0..13, "
                                  "a refinement one bit below the last (low = high - 1)")
    if count > 1 and sum(frame.components[i].h * frame.components[i].v for i in order) > 10:
        raise _corrupt("SOS", "interleaves more than 10 blocks per MCU")
    return scan, band


def adobe_transform(payload: bytes) -> int | None:
    """The colour transform flag of an Adobe APP14 segment (0 = RGB, 1 = YCbCr), else None."""
    if payload[:5] == b"Adobe" and len(payload) >= 12:
        return payload[11]
    return None
