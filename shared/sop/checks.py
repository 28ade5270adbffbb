"""Whole-definition checks that a field-level schema cannot express.

They read a definition through the shapes below, not through shared.sop.schema: the schema's
validator calls them, so importing the schema here would close a circle.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from typing import Protocol


class DecisionShape(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def next(self) -> int | None: ...
    @property
    def end(self) -> object | None: ...


class StepShape(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def decisions(self) -> Sequence[DecisionShape]: ...


class ClockShape(Protocol):
    @property
    def extension_roles(self) -> Sequence[str]: ...


class DefinitionShape(Protocol):
    """What the checks read of an SopDefinition."""

    @property
    def roles(self) -> Collection[str]: ...
    @property
    def pause_roles(self) -> Sequence[str]: ...
    @property
    def statutory_clock(self) -> ClockShape | None: ...
    @property
    def start(self) -> int: ...
    @property
    def steps(self) -> Sequence[StepShape]: ...
    def step(self, number: int) -> StepShape | None: ...


def problems(sop: DefinitionShape, known_roles: frozenset[str]) -> list[str]:
    found: list[str] = []
    numbers = [s.number for s in sop.steps]
    found += [f"step {n} is defined twice" for n, c in Counter(numbers).items() if c > 1]
    found += [f"unknown role '{r}' in roles" for r in sop.roles if r not in known_roles]
    found += [f"pause_roles: unknown role '{r}'" for r in sop.pause_roles if r not in known_roles]
    if sop.statutory_clock:
        found += [f"statutory_clock.extension_roles: unknown role '{r}'"
                  for r in sop.statutory_clock.extension_roles if r not in known_roles]
    for step in sop.steps:
        if step.role not in sop.roles:
            found.append(f"step {step.number}: unknown role '{step.role}'")
        ids = [d.id for d in step.decisions]
        found += [f"step {step.number}: decision '{d}' is defined twice"
                  for d, c in Counter(ids).items() if c > 1]
        for d in step.decisions:
            if d.next is not None and d.next not in numbers:
                found.append(f"step {step.number}: decision '{d.id}' goes to missing step {d.next}")
    if sop.start not in numbers:
        found.append(f"start step {sop.start} does not exist")
        return found
    reachable = _reachable(sop)
    found += [f"step {n} is unreachable from step {sop.start}"
              for n in numbers if n not in reachable]
    if not any(d.end for s in sop.steps if s.number in reachable for d in s.decisions):
        found.append("no end: no decision closes the case")
    else:
        found += [f"step {n} can never reach an end" for n in sorted(reachable)
                  if not _can_end(sop, n)]
    return found


def _successors(sop: DefinitionShape, number: int) -> list[int]:
    step = sop.step(number)
    return [d.next for d in step.decisions if d.next is not None] if step else []


def _reachable(sop: DefinitionShape) -> set[int]:
    seen, todo = set(), [sop.start]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += _successors(sop, n)
    return seen


def _can_end(sop: DefinitionShape, number: int) -> bool:
    seen, todo = set(), [number]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        step = sop.step(n)
        if step and any(d.end for d in step.decisions):
            return True
        todo += _successors(sop, n)
    return False
