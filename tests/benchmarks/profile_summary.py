"""Reads each service's CPU samples (profiled_service.py) and says where a step command's CPU goes: own
time by function, cumulative time of the project's functions, own time by package; all in ms of CPU per
step command. Time in C code is booked to the Python function that called it.
"""
from __future__ import annotations

import json
import sysconfig
from collections import Counter
from pathlib import Path

from tests.benchmarks.system import ROOT

STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def short(file: str) -> str:
    """A function's file as a reader knows it: services/…, eventsourcing/…, stdlib asyncio/…"""
    path = Path(file)
    for marker in ("site-packages", "dist-packages"):
        if marker in path.parts:
            return "/".join(path.parts[path.parts.index(marker) + 1:])
    for base, label in ((ROOT, ""), (STDLIB, "stdlib ")):
        try:
            return label + str(path.resolve().relative_to(base))
        except ValueError:
            continue
    return file


def describe(key: str) -> tuple[str, str]:
    """("qualname\tfile" as printed, its package)."""
    name, file = key.split("\t", 1)
    where = short(file)
    if where.startswith("services/"):
        package = "/".join(where.split("/")[:2])
    elif where.startswith("shared/"):
        package = "shared"
    elif where.startswith("stdlib "):
        package = "stdlib " + where.removeprefix("stdlib ").split("/")[0].removesuffix(".py")
    else:
        package = where.split("/")[0].removesuffix(".py")
    return f"{name} ({where})", package


def tallies(path: Path) -> tuple[Counter, Counter, Counter, float, float]:
    """(own s by function, cumulative s by project function, own s by package, CPU s sampled, of it in other
    threads than the event loop's)."""
    data = json.loads(path.read_text())
    own, cumulative, packages = Counter(), Counter(), Counter()
    for key, seconds in data["own"].items():
        label, package = describe(key)
        own[label] += seconds
        packages[package] += seconds
    for key, seconds in data["cumulative"].items():
        label, package = describe(key)
        entry = label.endswith("/main.py)") and label.split(" ")[0] in ("<module>", "main")
        if package.startswith(("services/", "shared")) and not entry:  # an entry point is under every sample
            cumulative[label] += seconds
    return own, cumulative, packages, data["cpu_s"], data["other_threads_cpu_s"]


def summary(into: Path, commands: int, wall_s: float, cpu_ms: dict[str, float], top: int = 12) -> str:
    """The text `make bench-profile` prints; `cpu_ms` is psutil's CPU of each whole process per step command."""
    per = 1000 / commands
    lines = [f"where one step command's CPU goes: {commands} SOP C step commands in {wall_s:.1f} s (closed loop, "
             "with the submissions, uploads and reads around them, until settled); ms of CPU per step command.",
             "A SIGPROF every 5 ms of a service's CPU time books it to the stack of its event-loop thread "
             "(profiled_service.py)."]
    for service, cpu in cpu_ms.items():
        path = into / f"{service}.json"
        if not path.exists():
            lines += ["", f"== {service}: no profile written"]
            continue
        own, cumulative, packages, sampled, others = tallies(path)
        lines += ["", f"== {service}: {cpu:.2f} ms of CPU per step command (psutil, whole process), "
                      f"{sampled * per:.2f} sampled, of which {others * per:.2f} in threads other than the loop's"]
        lines.append("  by package (own time): " + ", ".join(f"{k} {v * per:.2f}" for k, v in packages.most_common(8)))
        lines.append("  top functions by own time (with the C code they call):")
        lines += [f"    {v * per:7.2f}  {k}" for k, v in own.most_common(top)]
        lines.append("  top project functions by cumulative time:")
        lines += [f"    {v * per:7.2f}  {k}" for k, v in cumulative.most_common(top)]
    return "\n".join(lines)
