import io
import math

import numpy as np
import PIL
import pytest
from PIL import Image

from helpers import huffman, images
from helpers.huffman import (
    AC_CHROMINANCE,
    AC_LUMINANCE,
    DC_CHROMINANCE,
    DC_LUMINANCE,
    BitReader,
    HuffmanSpec,
)

# (table class, table id) as in a DHT segment: class 0 is DC, class 1 AC; id 0 luma, id 1 chroma.
STANDARD = {
    (0, 0): DC_LUMINANCE,
    (0, 1): DC_CHROMINANCE,
    (1, 0): AC_LUMINANCE,
    (1, 1): AC_CHROMINANCE,
}


def _code_strings(spec):
    """{symbol: code as a string of 0s and 1s}."""
    codes, lengths = huffman.code_table(spec)
    return {s: format(int(codes[s]), f"0{lengths[s]}b") for s in range(256) if lengths[s]}


def _kraft(spec):
    return sum(b * 2.0 ** -(n + 1) for n, b in enumerate(spec.bits))


def _entropy(counts):
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log2(p)).sum())


def _jpeg(picture, **options):
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _parse(jpeg):
    """The header of a baseline JPEG file, read by hand up to its first scan."""
    assert jpeg[:2] == b"\xff\xd8"
    info = {"tables": {}, "restart": 0}
    pos = 2
    while True:
        marker, length = jpeg[pos + 1], int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        payload = jpeg[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if marker == 0xC4:  # DHT: one or more tables
            k = 0
            while k < len(payload):
                tc, th, bits = payload[k] >> 4, payload[k] & 15, tuple(payload[k + 1 : k + 17])
                values = tuple(payload[k + 17 : k + 17 + sum(bits)])
                info["tables"][tc, th] = HuffmanSpec(bits, values)
                k += 17 + sum(bits)
        elif marker == 0xC0:  # SOF0: baseline frame
            info["height"] = int.from_bytes(payload[1:3], "big")
            info["width"] = int.from_bytes(payload[3:5], "big")
            info["sampling"] = {
                payload[6 + 3 * i]: (payload[7 + 3 * i] >> 4, payload[7 + 3 * i] & 15)
                for i in range(payload[5])
            }
        elif marker == 0xDD:  # DRI
            info["restart"] = int.from_bytes(payload[:2], "big")
        elif marker == 0xDA:  # SOS
            info["scan"] = [(payload[1 + 2 * i], payload[2 + 2 * i]) for i in range(payload[0])]
            info["data"] = pos
            return info


def _decode_scan(jpeg):
    """Decode every block of the scan, with our BitReader and the file's own tables.

    Returns the header, the symbol counts per table, the (code, length) of
    everything written (Huffman codes and amplitude bits) per restart
    interval, and the reader.
    """
    info = _parse(jpeg)
    lookups = {key: huffman.decoder_table(spec) for key, spec in info["tables"].items()}
    coders = {key: huffman.code_table(spec) for key, spec in info["tables"].items()}
    counts = {key: np.zeros(256, np.int64) for key in info["tables"]}
    hmax = max(h for h, v in info["sampling"].values())
    vmax = max(v for h, v in info["sampling"].values())
    if len(info["scan"]) == 1:  # one component: one block per MCU
        units = [(info["scan"][0], 1)]
        mcus = math.ceil(info["width"] / 8) * math.ceil(info["height"] / 8)
    else:
        units = [((c, t), info["sampling"][c][0] * info["sampling"][c][1]) for c, t in info["scan"]]
        mcus = math.ceil(info["width"] / (8 * hmax)) * math.ceil(info["height"] / (8 * vmax))
    reader = BitReader(jpeg[info["data"] :])
    intervals, written = [], []

    def symbol(key):
        s = reader.decode_huffman(lookups[key])
        counts[key][s] += 1
        codes, lengths = coders[key]
        written.append((int(codes[s]), int(lengths[s])))
        value = reader.receive_extend(s & 15)
        size, bits = huffman.amplitude_bits(np.array([value]))
        assert size[0] == s & 15
        written.append((int(bits[0]), int(size[0])))
        return s

    for mcu in range(mcus):
        if info["restart"] and mcu and mcu % info["restart"] == 0:
            reader.read_restart((mcu // info["restart"] - 1) % 8)
            intervals.append(written)
            written = []
        for (_, selector), blocks in units:
            for _ in range(blocks):
                symbol((0, selector >> 4))
                k = 1
                while k < 64:
                    rs = symbol((1, selector & 15))
                    if rs == 0x00:  # EOB
                        break
                    k += (rs >> 4) + 1
    intervals.append(written)
    return info, counts, intervals, reader


@pytest.fixture(scope="module")
def photo():
    return images.load("astronaut")[100:257, 180:371]  # 157 x 191: partial MCUs at the edges


# --- The standard tables ---------------------------------------------------


def test_standard_tables_have_as_many_values_as_codes():
    for spec, n in zip(STANDARD.values(), [12, 12, 162, 162]):
        assert sum(spec.bits) == len(spec.values) == n
    # The AC tables hold EOB, ZRL and every run 0..15 with every size 1..10.
    every = {0x00, 0xF0} | {r << 4 | s for r in range(16) for s in range(1, 11)}
    assert set(AC_LUMINANCE.values) == set(AC_CHROMINANCE.values) == every


def test_standard_codes_are_those_printed_in_annex_k():
    dc = _code_strings(DC_LUMINANCE)  # Table K.3
    assert [dc[c] for c in range(12)] == [
        "00", "010", "011", "100", "101", "110",
        "1110", "11110", "111110", "1111110", "11111110", "111111110",
    ]  # fmt: skip
    dc = _code_strings(DC_CHROMINANCE)  # Table K.4
    assert (dc[0], dc[1], dc[3], dc[11]) == ("00", "01", "110", "11111111110")
    ac = _code_strings(AC_LUMINANCE)  # Table K.5
    assert (ac[0x00], ac[0xF0]) == ("1010", "11111111001")  # EOB and ZRL
    assert (ac[0x01], ac[0x02], ac[0x11]) == ("00", "01", "1100")
    assert ac[0xFA] == "1111111111111110"
    ac = _code_strings(AC_CHROMINANCE)  # Table K.6
    assert (ac[0x00], ac[0xF0]) == ("00", "1111111010")
    assert (ac[0x01], ac[0x03], ac[0x11]) == ("01", "1010", "1011")


def test_codes_are_prefix_free_and_never_all_ones():
    for spec in STANDARD.values():
        codes = sorted(_code_strings(spec).values())
        # In sorted order a code that is a prefix of another comes right before one it prefixes.
        assert not any(b.startswith(a) for a, b in zip(codes, codes[1:]))
        assert not any(set(c) == {"1"} for c in codes)
        assert _kraft(spec) < 1


def test_libjpeg_writes_the_standard_tables(photo):
    for picture in (photo, images.to_grey(photo)):
        info = _parse(_jpeg(picture, quality=75))
        expected = STANDARD if picture.ndim == 3 else {(0, 0): DC_LUMINANCE, (1, 0): AC_LUMINANCE}
        assert info["tables"] == expected


def test_spec_checks_its_numbers():
    with pytest.raises(ValueError, match="16 counts"):
        HuffmanSpec((1, 1), (0, 1))
    with pytest.raises(ValueError, match=r"sum\(bits\) = 2 symbols, got 3"):
        HuffmanSpec((2,) + (0,) * 15, (0, 1, 2))
    with pytest.raises(ValueError, match="Kraft"):
        HuffmanSpec((3,) + (0,) * 15, (0, 1, 2))
    with pytest.raises(ValueError, match="twice"):
        HuffmanSpec((2,) + (0,) * 15, (4, 4))
    with pytest.raises(ValueError, match=r"values\[0\] must be 0..255, got 256"):
        HuffmanSpec((1,) + (0,) * 15, (256,))
    with pytest.raises(TypeError, match="bits must be a sequence of integers"):
        HuffmanSpec(16, ())
    # The bytes of a DHT segment can be passed as they are.
    assert HuffmanSpec(bytes(DC_LUMINANCE.bits), bytes(range(12))) == DC_LUMINANCE
    with pytest.raises(TypeError, match="spec must be a HuffmanSpec"):
        huffman.code_table({"bits": DC_LUMINANCE.bits})
    # A complete code (Kraft sum 1) is allowed: other encoders write them, decoders must read them.
    assert _code_strings(HuffmanSpec((2,) + (0,) * 15, (7, 9))) == {7: "0", 9: "1"}


# --- Optimal tables (Annex K.2) --------------------------------------------


def _libjpeg_reference(counts):
    """A line-by-line transcription of libjpeg's jpeg_gen_optimal_table, as a cross-check."""
    freq = [int(c) for c in counts] + [1]
    codesize, others = [0] * 257, [-1] * 257
    while True:
        c1 = c2 = -1
        v = math.inf
        for i in range(257):
            if freq[i] and freq[i] <= v:
                v, c1 = freq[i], i
        v = math.inf
        for i in range(257):
            if freq[i] and freq[i] <= v and i != c1:
                v, c2 = freq[i], i
        if c2 < 0:
            break
        freq[c1] += freq[c2]
        freq[c2] = 0
        codesize[c1] += 1
        while others[c1] >= 0:
            c1 = others[c1]
            codesize[c1] += 1
        others[c1] = c2
        codesize[c2] += 1
        while others[c2] >= 0:
            c2 = others[c2]
            codesize[c2] += 1
    bits = [0] * 300
    for size in codesize:
        if size:
            bits[size] += 1
    for i in range(299, 16, -1):
        while bits[i] > 0:
            j = i - 2
            while bits[j] == 0:
                j -= 1
            bits[i] -= 2
            bits[i - 1] += 1
            bits[j + 1] += 2
            bits[j] -= 1
    i = 16
    while bits[i] == 0:
        i -= 1
    bits[i] -= 1
    values = [j for size in range(1, 300) for j in range(256) if codesize[j] == size]
    return tuple(bits[1:17]), tuple(values)


def _fibonacci(n):
    counts = [1, 1]
    while len(counts) < n:
        counts.append(counts[-1] + counts[-2])
    return np.array(counts, np.int64)


def _test_counts():
    rng = np.random.default_rng(0)
    cases = [rng.integers(0, 1000, 256) * (rng.random(256) < p) for p in (0.05, 0.5, 1.0)]
    cases.append(np.bincount(np.minimum(rng.geometric(0.3, 10_000), 255), minlength=256))
    skewed = np.zeros(256, np.int64)  # 40 symbols with Fibonacci counts: codes up to 39 bits long
    skewed[rng.permutation(256)[:40]] = _fibonacci(40)
    cases.append(skewed)
    cases.append(np.concatenate([_fibonacci(60), np.ones(196, np.int64)]))  # all 256 occur
    return cases


@pytest.mark.parametrize(
    "counts", _test_counts(), ids=["sparse", "half", "full", "geometric", "fib40", "all256"]
)
def test_optimal_spec_is_a_valid_jpeg_table_close_to_the_entropy(counts):
    spec = huffman.optimal_spec(counts)
    codes, lengths = huffman.code_table(spec)
    assert set(spec.values) == set(np.flatnonzero(counts))  # exactly the symbols that occur
    assert lengths.max() <= 16 and _kraft(spec) < 1
    assert not any(set(c) == {"1"} for c in _code_strings(spec).values())
    average = huffman.average_length(lengths, counts)
    assert _entropy(counts) <= average < _entropy(counts) + 1
    assert (spec.bits, spec.values) == _libjpeg_reference(counts)


def test_length_limit_kicks_in_for_skewed_counts():
    counts = np.concatenate([_fibonacci(60), np.ones(196, np.int64)])
    assert huffman.huffman_lengths(counts).max() > 16  # plain Huffman is too long for JPEG
    spec = huffman.optimal_spec(counts)
    assert sum(spec.bits) == 256 and spec.bits[-1] > 0  # the limit is used in full
    assert _kraft(spec) == 1 - 2.0**-16  # complete but for the reserved all-ones code


def test_optimal_spec_by_hand():
    # Counts 5, 2, 1, 1 and the pretend symbol 256 with count 1 (ties: larger symbol first):
    # 256+3 -> 2, then 2+(256,3) -> 3, then 1+(2,256,3) -> 5, then 0 + the rest.
    # Lengths 1, 2, 3, 4, 4; dropping 256 frees the all-ones code 1111.
    spec = huffman.optimal_spec(np.bincount([0] * 5 + [1] * 2 + [2, 3], minlength=256))
    assert spec == HuffmanSpec((1, 1, 1, 1) + (0,) * 12, (0, 1, 2, 3))
    assert _code_strings(spec) == {0: "0", 1: "10", 2: "110", 3: "1110"}
    # A lone symbol still gets a 1-bit code: 0, with 1 reserved.
    lone = huffman.optimal_spec(np.bincount([7, 7, 7], minlength=256))
    assert lone == HuffmanSpec((1,) + (0,) * 15, (7,))
    # Two equal counts: 256 pairs with 9 first (ties take the larger symbol), so 3 gets 1 bit.
    spec = huffman.optimal_spec(np.bincount([3, 9], minlength=256))
    assert _code_strings(spec) == {3: "0", 9: "10"}


def test_optimal_spec_equals_libjpeg_optimize(photo):
    """Count the symbols in a file libjpeg optimized: from those counts we build its tables."""
    for picture, options in [
        (photo, {"quality": 75}),
        (photo, {"quality": 95, "subsampling": 0}),
        (images.to_grey(photo), {"quality": 50}),
        (np.random.default_rng(1).integers(0, 256, (48, 64, 3), dtype=np.uint8), {"quality": 90}),
    ]:
        info, counts, _, reader = _decode_scan(_jpeg(picture, optimize=True, **options))
        assert reader.bits_left < 8  # every block decoded, only the padding is left
        for key, spec in info["tables"].items():
            assert huffman.optimal_spec(counts[key]) == spec, key


def test_optimal_spec_checks_counts():
    with pytest.raises(ValueError, match="counts must hold 256 counts"):
        huffman.optimal_spec(np.ones(10, np.int64))
    with pytest.raises(TypeError, match="integer dtype"):
        huffman.optimal_spec(np.ones(256))
    with pytest.raises(ValueError, match="at least one positive"):
        huffman.optimal_spec(np.zeros(256, np.int64))
    with pytest.raises(ValueError, match="not be negative"):
        huffman.optimal_spec(-np.ones(256, np.int64))


# --- Plain Huffman codes, for teaching -------------------------------------


def test_huffman_tree_of_a_small_example():
    counts = np.array([5, 2, 1, 1])
    lengths = huffman.huffman_lengths(counts)
    assert lengths.tolist() == [1, 2, 3, 3]
    assert huffman.average_length(lengths, counts) == pytest.approx(15 / 9)
    root = huffman.tree(counts)
    assert root.weight == 9 and root.symbol is None
    # Ties go to the subtree made first: B (2) joins C+D (2), then that joins A (5).
    assert root.right == huffman.Node(5, 0)
    assert root.left.left == huffman.Node(2, 1)
    assert (root.left.right.left.symbol, root.left.right.right.symbol) == (2, 3)


def test_huffman_lengths_edge_cases():
    assert huffman.huffman_lengths(np.array([0, 4, 0])).tolist() == [0, 1, 0]
    assert huffman.huffman_lengths(np.array([3, 0, 3])).tolist() == [1, 0, 1]
    assert huffman.tree(np.array([0, 4])) == huffman.Node(4, 1)
    with pytest.raises(ValueError, match="positive length"):
        huffman.average_length(np.array([1, 0]), np.array([1, 1]))
    with pytest.raises(ValueError, match="same shape"):
        huffman.average_length(np.array([1, 1]), np.array([1, 1, 1]))


@pytest.mark.parametrize("seed", range(5))
def test_huffman_is_within_one_bit_of_the_entropy(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 100, rng.integers(2, 300)) ** 2
    counts[:2] += 1
    lengths = huffman.huffman_lengths(counts)
    assert np.sum(2.0 ** -lengths[counts > 0]) == pytest.approx(1)  # a complete tree
    assert _entropy(counts) <= huffman.average_length(lengths, counts) < _entropy(counts) + 1


# --- Packing bits ------------------------------------------------------------


def _pack_slowly(codes, lengths):
    text = "".join(format(int(c), f"0{int(n)}b") for c, n in zip(codes, lengths) if n)
    text += "1" * (-len(text) % 8)
    data = bytes(int(text[i : i + 8], 2) for i in range(0, len(text), 8))
    return data.replace(b"\xff", b"\xff\x00")


def _random_codes(rng, n, longest=32):
    lengths = rng.integers(0, longest + 1, n)
    codes = rng.integers(0, 2**32, n, dtype=np.uint64) >> (32 - lengths).astype(np.uint64)
    return codes, lengths


def test_pack_bits_by_hand():
    assert huffman.pack_bits(np.array([1, 1]), np.array([1, 2])) == bytes([0b10111111])
    # 101 1111111111 + 111 padding = 10111111 11111111, and the 0xFF gets a stuffed 0x00
    assert huffman.pack_bits(np.array([0b101, 0x3FF]), np.array([3, 10])) == b"\xbf\xff\x00"
    assert huffman.pack_bits(np.array([0]), np.array([8])) == b"\x00"  # no padding needed
    assert huffman.pack_bits(np.array([0x7F]), np.array([7])) == b"\xff\x00"  # padding makes 0xFF
    assert huffman.pack_bits(np.array([], np.int64), np.array([], np.int64)) == b""
    assert huffman.pack_bits(np.array([]), np.array([])) == b""
    assert huffman.pack_bits(np.array([0, 0]), np.array([0, 0])) == b""
    assert huffman.pack_bits(np.array([2**32 - 1]), np.array([32], np.uint8)) == b"\xff\x00" * 4


def test_stuff_bytes():
    assert huffman.stuff_bytes(b"\x12\xff\xff\x00") == b"\x12\xff\x00\xff\x00\x00"
    assert huffman.stuff_bytes(b"") == b""
    with pytest.raises(TypeError, match="data must be bytes"):
        huffman.stuff_bytes("ff")


def test_pack_bits_matches_a_slow_reference():
    rng = np.random.default_rng(0)
    for longest in (1, 8, 16, 32):
        codes, lengths = _random_codes(rng, 3000, longest)
        assert huffman.pack_bits(codes, lengths) == _pack_slowly(codes, lengths)
    ones = np.full(500, 0xFF)  # long runs of 0xFF bytes
    assert huffman.pack_bits(ones, np.full(500, 8)) == b"\xff\x00" * 500


def test_pack_bits_of_many_codes():
    rng = np.random.default_rng(1)
    codes, lengths = _random_codes(rng, 100_000, 27)  # 1.3 million bits, 700 stuffed 0xFF bytes
    packed = huffman.pack_bits(codes, lengths)
    # Unstuff and unpack, then compare bit by bit with the codes written out bit by bit.
    bits = np.unpackbits(np.frombuffer(packed.replace(b"\xff\x00", b"\xff"), np.uint8))
    step = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    shift = (np.repeat(lengths, lengths) - 1 - step).astype(np.uint64)  # bit of the code, MSB first
    expected = (np.repeat(codes, lengths) >> shift) & np.uint64(1)
    assert np.array_equal(bits[: lengths.sum()], expected)
    assert bits[lengths.sum() :].all() and len(bits) - lengths.sum() < 8


def test_pack_bits_round_trip_with_the_reader():
    rng = np.random.default_rng(2)
    codes, lengths = _random_codes(rng, 20_000, 16)
    reader = BitReader(huffman.pack_bits(codes, lengths))
    assert [reader.read_bits(int(n)) for n in lengths] == codes.tolist()
    assert reader.bits_left < 8


def test_pack_bits_checks_its_input():
    with pytest.raises(ValueError, match="codes < 2\\*\\*lengths"):
        huffman.pack_bits(np.array([4]), np.array([2]))
    with pytest.raises(ValueError, match="codes < 2\\*\\*lengths"):
        huffman.pack_bits(np.array([1]), np.array([0]))
    with pytest.raises(ValueError, match="lengths must be 0..32, got 0..33"):
        huffman.pack_bits(np.array([0, 1]), np.array([0, 33]))
    with pytest.raises(ValueError, match="same size"):
        huffman.pack_bits(np.array([1, 1]), np.array([1]))
    with pytest.raises(ValueError, match="codes must not be negative"):
        huffman.pack_bits(np.array([-1]), np.array([3]))
    with pytest.raises(TypeError, match="codes must hold integers"):
        huffman.pack_bits(np.array([1.0]), np.array([3]))
    with pytest.raises(TypeError, match="lengths must be a numpy array"):
        huffman.pack_bits(np.array([1]), [3])


@pytest.mark.parametrize(
    "options",
    [
        {"quality": 75},
        pytest.param(
            {"quality": 90, "restart_marker_blocks": 3},
            marks=pytest.mark.skipif(
                tuple(int(part) for part in PIL.__version__.split(".")[:2]) < (10, 2),
                reason=f"Pillow {PIL.__version__} cannot write restart markers (10.2 can)",
            ),
        ),
        {"quality": 60, "optimize": True},
    ],
    ids=["q75", "q90 restart every 3", "q60 optimized"],
)
def test_repacking_libjpeg_scans_gives_the_same_bytes(photo, options):
    """Decode a libjpeg scan, write the same codes again with pack_bits: the same bytes."""
    jpeg = _jpeg(photo, **options)
    info, _, intervals, reader = _decode_scan(jpeg)
    assert len(intervals) > 1 if "restart_marker_blocks" in options else len(intervals) == 1
    scan = jpeg[info["data"] : info["data"] + reader.end]
    assert jpeg[info["data"] + reader.end :] == b"\xff\xd9"  # EOI follows
    packed = [huffman.pack_bits(*np.array(written, np.int64).T) for written in intervals]
    markers = [bytes([0xFF, 0xD0 + k % 8]) for k in range(len(packed) - 1)] + [b""]
    assert scan == b"".join(p + m for p, m in zip(packed, markers))


# --- Reading bits --------------------------------------------------------------


def test_reader_removes_stuffing_and_handles_restarts():
    reader = BitReader(b"\xff\x00\x80\xff\xd0\xab\xff\xff\xd9\x12")
    assert reader.end == 6  # the scan ends at the EOI marker (after a fill byte)
    assert reader.read_bits(8) == 0xFF and reader.read_bits(1) == 1 and reader.bits_left == 7
    reader.read_restart(0)  # skips the 7 padding bits
    assert reader.read_bits(4) == 0xA and reader.read_bits(4) == 0xB
    with pytest.raises(ValueError, match="truncated data: reading 1 bits runs past the end"):
        reader.read_bits(1)
    with pytest.raises(ValueError, match="expected RST1, but the scan ends here"):
        reader.read_restart(1)


def test_reader_wants_the_right_restart_marker():
    reader = BitReader(b"\x01\xff\xd5\x02")
    reader.read_bits(8)
    with pytest.raises(ValueError, match="expected RST3, found RST5"):
        reader.read_restart(3)
    reader = BitReader(b"\x01\x02\xff\xd0")
    reader.read_bits(3)
    with pytest.raises(ValueError, match="expected RST0, but 1 bytes of data come first"):
        reader.read_restart(0)
    with pytest.raises(ValueError, match="number must be 0..7"):
        reader.read_restart(8)
    with pytest.raises(ValueError, match="past the next RST marker"):
        BitReader(b"\x01\xff\xd0\x02").read_bits(9)


def test_decode_huffman():
    table = huffman.decoder_table(DC_LUMINANCE)
    codes, lengths = huffman.code_table(DC_LUMINANCE)
    symbols = np.array([0, 11, 5, 1, 6, 0, 0, 10])
    reader = BitReader(huffman.pack_bits(codes[symbols], lengths[symbols]))
    assert [reader.decode_huffman(table) for _ in symbols] == symbols.tolist()
    with pytest.raises(ValueError, match="truncated data: a Huffman code runs past the end"):
        reader.decode_huffman(table)  # only padding 1-bits are left
    with pytest.raises(ValueError, match="invalid Huffman code"):
        BitReader(b"\xff\x00\x80").decode_huffman(table)  # 111111111 is no DC code
    reader = BitReader(b"\x7f")  # 011 is category 2, then 11111 begins a longer code
    assert reader.decode_huffman(table) == 2
    with pytest.raises(ValueError, match="truncated"):
        reader.decode_huffman(table)
    with pytest.raises(ValueError, match="truncated"):
        BitReader(b"").decode_huffman(table)
    with pytest.raises(TypeError, match="decoder_table"):
        BitReader(b"\x00").decode_huffman(DC_LUMINANCE)


def test_reader_checks_its_input():
    with pytest.raises(TypeError, match="data must be bytes"):
        BitReader([1, 2])
    with pytest.raises(ValueError, match="n must be 0..16, got 17"):
        BitReader(b"\x00" * 4).read_bits(17)
    with pytest.raises(TypeError, match="n must be an integer"):
        BitReader(b"\x00").read_bits(2.0)


def test_reader_survives_random_bytes():
    rng = np.random.default_rng(0)
    tables = [huffman.decoder_table(spec) for spec in STANDARD.values()]
    for _ in range(300):
        data = rng.integers(0, 256, rng.integers(0, 80), dtype=np.uint8)
        data[rng.random(data.size) < 0.1] = 0xFF  # plenty of markers and stuffing
        reader = BitReader(data.tobytes())
        with pytest.raises(ValueError):
            for _ in range(10_000):  # more reads than the data has bits
                action = rng.integers(0, 10)
                if action == 0:
                    reader.read_restart(int(rng.integers(0, 8)))
                elif action < 5:
                    reader.receive_extend(reader.decode_huffman(tables[action % 4]) & 15)
                else:
                    reader.read_bits(int(rng.integers(0, 17)))


# --- Amplitudes ------------------------------------------------------------------


def test_amplitude_bits_of_the_examples_in_t81():
    values = np.array([0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 7, -7, 1023, -1023, 1024, -2047])
    sizes, bits = huffman.amplitude_bits(values)
    assert sizes.tolist() == [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 10, 10, 11, 11]
    assert bits.tolist() == [0, 1, 0, 2, 1, 3, 0, 4, 3, 5, 2, 7, 0, 1023, 0, 1024, 0]
    assert sizes.dtype == np.uint8 and bits.dtype == np.uint32
    sizes, bits = huffman.amplitude_bits(np.array([[3, -3], [0, 6]], np.int16))
    assert sizes.shape == (2, 2) and bits[1, 1] == 6
    assert huffman.amplitude_bits(np.array([], np.int16))[0].size == 0


def test_receive_extend_inverts_amplitude_bits():
    values = np.arange(-2047, 2048)
    sizes, bits = huffman.amplitude_bits(values)
    reader = BitReader(huffman.pack_bits(bits, sizes))
    assert [reader.receive_extend(int(s)) for s in sizes] == values.tolist()


def test_amplitude_bits_checks_its_input():
    with pytest.raises(ValueError, match="within -65535..65535"):
        huffman.amplitude_bits(np.array([1, 70000]))
    with pytest.raises(TypeError, match="values must hold integers"):
        huffman.amplitude_bits(np.array([1.5]))
