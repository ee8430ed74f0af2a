"""Write a real ip2region xdb file (structure 3.0, IPv4) for a few address ranges.

The layout is the one the ip2region maker writes: a 256-byte header, the 512 KiB vector
index (first and one-past-last segment pointer for every first-two-bytes cell), the region
texts, then 14-byte segment index entries (start and end address as little-endian uint32,
text length, text pointer). As in the published data the whole address space is covered
and segments never cross a /16 cell.
"""

import ipaddress
import struct
from pathlib import Path

HEADER_LENGTH = 256
VECTOR_CELLS = 256 * 256
VECTOR_ENTRY = 8
SEGMENT_ENTRY = 14
STRUCTURE_VERSION = 3
VECTOR_POLICY = 1
IPV4 = 4
POINTER_BYTES = 4
CREATED_AT = 1767225600  # fixed, so the file is the same on every run
UNKNOWN = "0|0|0|内网IP|内网IP"


def _address(text: str) -> int:
    return int(ipaddress.IPv4Address(text))


def _segments(ranges: list[tuple[str, str, str]]) -> list[tuple[int, int, str]]:
    covered = []
    next_free = 0
    for start, end, region in sorted((_address(s), _address(e), r) for s, e, r in ranges):
        if start < next_free or end < start:
            raise ValueError(f"overlapping or reversed range at {ipaddress.IPv4Address(start)}")
        if start > next_free:
            covered.append((next_free, start - 1, UNKNOWN))
        covered.append((start, end, region))
        next_free = end + 1
    if next_free <= 0xFFFFFFFF:
        covered.append((next_free, 0xFFFFFFFF, UNKNOWN))
    split = []
    for start, end, region in covered:
        while start >> 16 != end >> 16:
            cell_end = (((start >> 16) + 1) << 16) - 1
            split.append((start, cell_end, region))
            start = cell_end + 1
        split.append((start, end, region))
    return split


def write_xdb(path: Path, ranges: list[tuple[str, str, str]]) -> Path:
    segments = _segments(ranges)
    data = bytearray()
    texts: dict[str, tuple[int, int]] = {}
    data_start = HEADER_LENGTH + VECTOR_CELLS * VECTOR_ENTRY
    for _start, _end, region in segments:
        if region not in texts:
            encoded = region.encode()
            texts[region] = (data_start + len(data), len(encoded))
            data += encoded

    index_start = data_start + len(data)
    vector = bytearray(VECTOR_CELLS * VECTOR_ENTRY)
    index = bytearray()
    for number, (start, end, region) in enumerate(segments):
        position = index_start + number * SEGMENT_ENTRY
        pointer, length = texts[region]
        index += struct.pack("<IIHI", start, end, length, pointer)
        cell = (start >> 16) * VECTOR_ENTRY
        if struct.unpack_from("<I", vector, cell)[0] == 0:
            struct.pack_into("<I", vector, cell, position)
        struct.pack_into("<I", vector, cell + 4, position + SEGMENT_ENTRY)

    header = bytearray(HEADER_LENGTH)
    last_entry = index_start + (len(segments) - 1) * SEGMENT_ENTRY
    struct.pack_into(
        "<HHIIIHH", header, 0, STRUCTURE_VERSION, VECTOR_POLICY, CREATED_AT,
        index_start, last_entry, IPV4, POINTER_BYTES,
    )  # fmt: skip
    path.write_bytes(bytes(header + vector + data + index))
    return path
