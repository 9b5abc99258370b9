#!/usr/bin/env python3
"""Methods outside the ordered region whose code a run faulted in (deploy/make-startup-order.sh, --perf-passes).

The JIT and instrumented lists miss what only the AOT build runs as generic instantiations (its type loader, generic
caches, reflection's dispensers...). Each such method, wherever it lies, costs the 64 KB around it. `perf record -e
page-faults -c 1 -d` sees the first touch of each code page the kernel maps; this names the method at each faulting
address in the image's managed code that the order file does not list yet, in fault order, once each.

usage: page-faults.py PERF_DATA EDGEOPS_O EDGEOPS_BINARY ORDER_FILE > missed.txt
"""
import bisect
import os
import re
import subprocess
import sys

def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout

def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    perf_data, obj, binary, order_file = sys.argv[1:]
    # The managed code: one section, the same in the object file (symbol values are offsets in it) and the binary.
    m = re.search(r'__managedcode\s+PROGBITS\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)', run('readelf', '-SW', binary))
    code_at, code_size = int(m.group(1), 16), int(m.group(2), 16)
    index = re.search(r'\[\s*(\d+)\]\s+__managedcode', run('readelf', '-SW', obj)).group(1)
    symbols = []
    for line in run('readelf', '-sW', obj).splitlines():
        p = line.split()
        if len(p) >= 8 and p[6] == index and p[3] in ('FUNC', 'NOTYPE'):
            symbols.append((int(p[1], 16), p[7]))
    symbols.sort()
    starts = [s[0] for s in symbols]
    ordered = {line.strip() for line in open(order_file, encoding='utf-8')}

    base = None
    missed = []
    for line in run('perf', 'script', '-i', perf_data, '--show-mmap-events', '-F', 'ip,addr').splitlines():
        if base is None:
            mm = re.search(r'\[(0x[0-9a-f]+)\(0x[0-9a-f]+\) @ 0 .*\s(\S+)$', line)
            if mm and os.path.realpath(mm.group(2)) == os.path.realpath(binary):
                base = int(mm.group(1), 16)
            continue
        p = line.split()
        if len(p) != 2:
            continue
        try:
            offset = int(p[1], 16) - base - code_at
        except ValueError:
            continue
        if 0 <= offset < code_size:
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and symbols[i][1] not in ordered and symbols[i][1] not in missed:
                missed.append(symbols[i][1])
    if base is None:
        sys.exit(f'page-faults.py: {binary} is not mapped in {perf_data}')
    for s in missed:
        print(s)
    print(f'page-faults: {len(missed)} methods outside the order faulted in', file=sys.stderr)

main()
