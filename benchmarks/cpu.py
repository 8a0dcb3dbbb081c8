"""CPU seconds used by processes, from /proc: a measure of cost that holds on a shared,
busy machine, where wall-clock latency mostly measures the other tenants."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # the fields after the command name


def cpu_seconds(pid: int, reaped_children: bool = False) -> float:
    """User + system time of a process (plus its exited, waited-for children's)."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def parent_of(pid: int) -> int:
    return int(_stat(pid)[1])


def tree_seconds(root: int) -> float:
    """A server and its live children (PostgreSQL's postmaster and its backends)."""
    total = cpu_seconds(root, reaped_children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent_of(int(entry.name)) == root:
                    total += cpu_seconds(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue  # exited meanwhile
    return total
