#!/usr/bin/python3
"""Where a process's resident memory is, from a copy of its /proc/<pid>/smaps (deploy/measure-startup.sh --smaps).

Usage: deploy/smaps-summary.py FILE.smaps [PROGRAM_NAME]
Groups every mapping's Rss (and how much of it is anonymous, i.e. written by the process) into: the program image's
code (r-x), read-only data (r--), written data (rw-, relocated pointers) and the zero-filled data after it (.bss: in a
Native AOT program mostly the runtime's type data, rehydrated at start); the GC's address range (the largest anonymous
reservation); other anonymous memory (thread stacks, native allocations); the native heap; each shared library.
"""
import os
import re
import sys
from collections import defaultdict

HEADER = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \d+\s*(.*)$")


def mappings(path):
    current = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                if current:
                    yield current
                start, end = int(m.group(1), 16), int(m.group(2), 16)
                current = {"start": start, "size": end - start, "perms": m.group(3), "path": m.group(4).strip(),
                           "Rss": 0, "Anonymous": 0}
                continue
            key, _, value = line.partition(":")
            if current is not None and key in ("Rss", "Anonymous"):
                current[key] = int(value.split()[0])
    if current:
        yield current


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    maps = list(mappings(sys.argv[1]))
    program = sys.argv[2] if len(sys.argv) > 2 else "edgeops"
    image = [m for m in maps if os.path.basename(m["path"]) == program]
    image_end = max((m["start"] + m["size"] for m in image), default=-1)
    anon = [m for m in maps if not m["path"]]
    gc_range = max(anon, key=lambda m: m["size"], default=None)
    groups = defaultdict(lambda: [0, 0])

    for m in maps:
        if m in image:
            kind = {"r-x": "image code", "r--": "image read-only data", "rw-": "image written data"}.get(m["perms"][:3], "image other")
        elif not m["path"] and m["start"] == image_end:
            kind = "image .bss (rehydrated type data, statics)"
        elif m is gc_range:
            kind = "GC address range"
        elif not m["path"]:
            kind = "other anonymous (thread stacks, native allocations, GC bookkeeping)"
        elif m["path"] == "[heap]":
            kind = "native heap (malloc)"
        elif m["path"].startswith("["):
            kind = m["path"]
        else:
            kind = os.path.basename(m["path"]).split(".so")[0] + " (library)"
        groups[kind][0] += m["Rss"]
        groups[kind][1] += m["Anonymous"]

    total = sum(g[0] for g in groups.values())
    print(f"{'resident':>10} {'anonymous':>10}  where ({sys.argv[1]})")
    for kind, (rss, anon_kb) in sorted(groups.items(), key=lambda kv: -kv[1][0]):
        if rss >= 64:
            print(f"{rss / 1024:9.1f}M {anon_kb / 1024:9.1f}M  {kind}")
    print(f"{total / 1024:9.1f}M {'':10}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
