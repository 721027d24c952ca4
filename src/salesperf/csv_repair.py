"""The exact, slow reader for CSV files DuckDB's fast reader could not take whole.

DuckDB reads clean files at full speed; when it rejects lines (a record cut mid-field, a
quoted field spanning lines that confused its sniffer, bytes that are not UTF-8), this
reader decides record by record instead of line by line: complete records are rewritten
to a clean UTF-8 copy for DuckDB, and only the records that really are broken are handed
back for quarantine, numbered as records of the delivered file.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

# the column that carries each record's number in the repaired copy
RECORD_COLUMN = "__salesperf_record"
DELIMITERS = ",;\t|"


class UnreadableFile(Exception):
    """The file is not text we can decode: the message says why, in one line."""


@dataclass
class RepairedCsv:
    path: Path  # a clean, comma-separated UTF-8 copy: record number, then the header's columns
    encoding: str
    records: int  # records in the delivered file (complete and broken), header excluded
    bad_records: list[tuple[int, str, str]] = field(default_factory=list)  # number, reason, text
    record_column: str = RECORD_COLUMN


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16 with a BOM,
    else Windows-1252, the usual encoding of spreadsheet exports on Windows (Latin-1 for the
    five bytes it leaves undefined). Binary data is refused."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"starts as UTF-16 but does not decode ({exc.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UnreadableFile(
            "not UTF-8 and holds NUL bytes: not a text encoding we recognise (export as UTF-8 CSV)"
        )
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _delimiter(sample: str) -> str:
    header = sample.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def repair_csv(path: Path, scratch: Path) -> RepairedCsv:
    raw = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise UnreadableFile(f"not a readable gzip file ({exc})") from None
    text, encoding = decode(raw)
    delimiter = _delimiter(text[:65536])
    # line offsets, to give a broken record back as the text that was delivered
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out = scratch / f"{path.name}.repaired.csv"
    bad: list[tuple[int, str, str]] = []
    records = 0
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            raise UnreadableFile("no header row could be read") from None
        writer.writerow([RECORD_COLUMN, *header])
        while True:
            first_line = reader.line_num  # lines consumed before this record
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # only a record cut inside a quoted field at the end of the file gets here
                records += 1
                delivered = "".join(lines[first_line:])
                bad.append((records, f"malformed CSV record: {exc}", delivered))
                break
            if not row:
                continue  # a blank line is no record
            records += 1
            if len(row) != len(header):
                delivered = "".join(lines[first_line : reader.line_num])
                reason = f"malformed CSV record: expected {len(header)} fields, found {len(row)}"
                bad.append((records, reason, delivered.rstrip("\r\n")))
                continue
            writer.writerow([records, *row])
    return RepairedCsv(out, encoding, records, bad)
