"""What differs between a history's recorded expectations and its replay through today's code, in lines a
reviewer reads: a row only one side has, a document whose bytes changed, a report figure that moved."""
from __future__ import annotations

import json
from typing import Any

LIMIT = 10  # lines per table: the first few show what changed


def differences(expected: dict[str, Any], replayed: dict[str, Any]) -> list[str]:
    found = [f"fold failed: {line}" for line in replayed.get("failed_folds", [])]
    for service, head in expected["chain"].items():
        again = replayed["chain"].get(service)
        if again != head:
            found.append(f"chain of {service}: recorded {head}, loaded {again}")
    for model in ("register_and_audit", "sla"):
        for table, rows in expected[model].items():
            found += table_differences(f"{model}.{table}", rows, replayed[model].get(table, []))
    documents, again = expected["documents"], replayed["documents"]
    for key in sorted(documents.keys() | again.keys()):
        if documents.get(key) != again.get(key):
            found.append(f"document {key}: recorded {documents.get(key)}, now {again.get(key)}")
    found += report_differences(expected["capaian_kinerja"], replayed["capaian_kinerja"])
    for fmt, sha in expected.get("register_book", {}).get("sha256", {}).items():
        if replayed["register_book"]["sha256"][fmt] != sha:
            found.append(f"buku register ({fmt}): recorded {sha}, now {replayed['register_book']['sha256'][fmt]}")
    return found


def table_differences(name: str, expected: list[list[Any]], replayed: list[list[Any]]) -> list[str]:
    before, now = ({json.dumps(r, ensure_ascii=False) for r in rows} for rows in (expected, replayed))
    lines = [f"{name}: recorded only {r}" for r in sorted(before - now)[:LIMIT]]
    lines += [f"{name}: replay only {r}" for r in sorted(now - before)[:LIMIT]]
    if len(expected) != len(replayed):
        lines.append(f"{name}: {len(expected)} rows recorded, {len(replayed)} replayed")
    return lines


def report_differences(expected: dict[str, Any], replayed: dict[str, Any]) -> list[str]:
    lines = [f"capaian kinerja {path}: recorded {a!r}, now {b!r}"
             for path, a, b in walk(expected["report"], replayed["report"], "")][:LIMIT]
    if expected["pdf_sha256"] != replayed["pdf_sha256"]:
        lines.append(f"capaian kinerja PDF: recorded {expected['pdf_sha256']}, now {replayed['pdf_sha256']}")
    return lines


def walk(a: Any, b: Any, path: str):
    """(path, recorded, now) of every leaf that differs."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            yield from walk(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b)):
            yield from walk(x, y, f"{path}[{n}]")
    elif a != b:
        yield path or ".", a, b
