"""The compact data file: a JSON header and zlib-compressed sections of arrays and newline-joined text."""

import json
import struct
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any

MAGIC = b"ASTROPLACES"
FORMAT_VERSION = 1
DATA_PATH = Path(__file__).resolve().parent / "data" / "places.bin"

Section = array | list[str]


def _encode(value: Section) -> tuple[str, bytes]:
    if isinstance(value, array):
        arr = value
        if sys.byteorder == "big":
            arr = array(value.typecode, value)
            arr.byteswap()
        return value.typecode, arr.tobytes()
    if any("\n" in item for item in value):
        raise ValueError("text sections cannot hold newlines")
    return "text", "\n".join(value).encode("utf-8")


def _decode(kind: str, raw: bytes) -> Section:
    if kind == "text":
        return raw.decode("utf-8").split("\n") if raw else []
    arr = array(kind)
    arr.frombytes(raw)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def write_data(path: Path, sections: dict[str, Section], meta: dict[str, Any]) -> None:
    """Write the sections and free-form metadata to one file (atomically replaced)."""
    layout = []
    chunks = []
    for name, value in sections.items():
        kind, raw = _encode(value)
        layout.append([name, kind, len(raw)])
        chunks.append(raw)
    header = json.dumps(
        {"version": FORMAT_VERSION, "meta": meta, "sections": layout}, ensure_ascii=False, sort_keys=True
    ).encode("utf-8")
    body = zlib.compress(b"".join(chunks), 9)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(MAGIC + struct.pack("<II", FORMAT_VERSION, len(header)) + header + body)
    tmp.replace(path)


def read_data(path: Path = DATA_PATH) -> tuple[dict[str, Section], dict[str, Any]]:
    """Read the sections and metadata written by write_data."""
    blob = path.read_bytes()
    if not blob.startswith(MAGIC):
        raise ValueError(f"{path.name} is not a places data file")
    version, header_len = struct.unpack_from("<II", blob, len(MAGIC))
    if version != FORMAT_VERSION:
        raise ValueError(f"{path.name} has format {version}, this code reads {FORMAT_VERSION}")
    start = len(MAGIC) + 8
    header = json.loads(blob[start : start + header_len])
    body = zlib.decompress(blob[start + header_len :])
    sections: dict[str, Section] = {}
    offset = 0
    for name, kind, size in header["sections"]:
        sections[name] = _decode(kind, body[offset : offset + size])
        offset += size
    return sections, header["meta"]
