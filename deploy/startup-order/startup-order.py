#!/usr/bin/env python3
"""Start-up method order for the Native AOT gateway (ILC --order, see deploy/make-startup-order.sh).

Reads the methods a JIT run of the same gateway compiled, in the order they were first compiled (the JIT's
DisasmSummary: "JIT compiled Namespace.Type`1[args]:Method[targs](params) [Tier0, ...]"), and the symbol table of the AOT
object file (`nm`: ILC's mangled names, e.g. S_P_CoreLib_System_Collections_Generic_Dictionary_2<Int32__Int32>__TryInsert),
and writes the object's method symbols that match, in that order: every instantiation and overload of a method the JIT
run compiled (the JIT names them by their shared form, ILC per instantiation; taking all of them costs a little code,
missing one costs a page). Unmatched names are dropped here, and ILC skips any stale line, so the file can never break a
build: at worst the order is older than the code.

usage: startup-order.py METHOD_LIST... NM_OUTPUT > edgeops.order
  METHOD_LIST: the JIT's summary (DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1), or reach-names.cs's output in
  the same form; the first list's order is kept, later lists add what it lacks.
"""
import re
import sys

def strip_brackets(s, open_ch, close_ch):
    out, depth = [], 0
    for c in s:
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
        elif depth == 0:
            out.append(c)
    return ''.join(out)

def sanitize(s):
    return re.sub(r'[^A-Za-z0-9_]', '_', s)

def jit_keys(line):
    m = re.search(r'JIT compiled (.*?) \[(?:Tier|Instrumented|FullOpts|Optimized|MinOpts)', line)
    if not m:
        return []
    name = m.group(1)
    # Type:Method(params) -- the parameter list goes first, then generic arguments of type and method.
    paren = name.find('(')
    if paren >= 0:
        name = name[:paren]
    if ':' not in name:
        return []
    typ, _, meth = name.rpartition(':')
    typ = strip_brackets(typ, '[', ']')
    meth = strip_brackets(meth, '[', ']')
    key = sanitize(typ) + '__' + sanitize(meth)
    keys = [key]
    # Well-known CoreLib types have short names in ILC (System.String -> String, System.Object -> Object).
    if typ.startswith('System.') and '.' not in typ[7:]:
        keys.append(sanitize(typ[7:]) + '__' + sanitize(meth))
    return keys

def symbol_key(sym):
    # Drop generic instantiations (<...>) and an overload's _<n> suffix.
    base = strip_brackets(sym, '<', '>')
    return [base, re.sub(r'_\d+$', '', base)]

# ILC spells primitive type arguments by their CoreLib names, the JIT by C# keywords.
PRIMITIVES = {'Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Byte', 'SByte', 'Char', 'Bool',
              'Boolean', 'Double', 'Single', 'IntPtr', 'UIntPtr', 'Canon', 'System', 'Void'}

AOT_RUNTIME = ('S_P_CoreLib_Internal_Runtime_', 'S_P_CoreLib_System_Runtime_TypeCast_', 'S_P_CoreLib_System_Runtime_EH_',
               'S_P_CoreLib_System_Runtime_RuntimeExports_', 'S_P_CoreLib_System_Runtime_InternalCalls_',
               'S_P_CoreLib_System_Runtime_RuntimeImports_', 'S_P_CoreLib_System_Runtime_CompilerServices_ClassConstructorRunner_',
               'S_P_CoreLib_System_Runtime_CompilerServices_StaticsHelpers_', 'S_P_CoreLib_System_Runtime_CompilerServices_CastHelpers_',
               'S_P_CoreLib_System_Runtime_CompilerServices_InitHelpers_', 'S_P_TypeLoader_')

def generic_args_known(sym, words):
    """An instantiation is kept only if every type named in its arguments was named somewhere in the JIT run: a
    method the JIT compiled for one enum must not drag in its copies for a hundred enums never used at start."""
    if '<' not in sym:
        return True
    inner = ''.join(re.findall(r'<([^<>]*)', sym))
    return all(w in words or w in PRIMITIVES for w in re.findall(r'[A-Za-z][A-Za-z0-9]{3,}', inner))

def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lists, nm_path = sys.argv[1:-1], sys.argv[-1]
    rank = {}
    words = set()
    for path in lists:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                keys = jit_keys(line)
                for k in keys:
                    rank.setdefault(k, len(rank))
                if keys:
                    words.update(re.findall(r'[A-Za-z][A-Za-z0-9]{3,}', line.split(' [')[0]))
    matched = []
    with open(nm_path, encoding='utf-8', errors='replace') as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[-2] not in ('T', 't'):
                continue
            sym = parts[-1]
            if sym.startswith('<Boxed>') or not generic_args_known(sym, words):
                continue
            best = None
            for cand in symbol_key(sym):
                # the key is a suffix of the symbol that starts after its assembly prefix: try each '_' boundary
                for i in range(len(cand)):
                    if i == 0 or cand[i - 1] == '_':
                        r = rank.get(cand[i:])
                        if r is not None and (best is None or r < best):
                            best = r
                            break
            if best is not None:
                matched.append((best, sym))
    # The Native AOT runtime's own managed part (start-up, casting, exception dispatch, class constructors, the type
    # loader) runs in every AOT start and has no JIT counterpart: first, whole.
    for line in open(nm_path, encoding='utf-8', errors='replace'):
        parts = line.split()
        if len(parts) >= 3 and parts[-2] in ('T', 't') and '<' not in parts[-1] and parts[-1].startswith(AOT_RUNTIME):
            matched.append((-1, parts[-1]))
    matched.sort(key=lambda t: t[0])
    # ILC skips a line that names no method of the build (this header, or a method since renamed or removed): the order
    # file can be stale, never wrong.
    print('# Start-up method order of the Native AOT gateway (ILC --order): deploy/make-startup-order.sh writes it.')
    seen = set()
    for _, sym in matched:
        if sym not in seen:
            seen.add(sym)
            print(sym)
    print(f'startup-order: {len(rank)} methods run, {len(seen)} AOT symbols ordered', file=sys.stderr)

main()
