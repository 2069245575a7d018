#!/usr/bin/env python3
"""Issue 28's hang cases at four sizes each, timed through a boletin binary.

    python3 benches/hangs.py [path/to/boletin]

Each case is one bulletin in a fresh site; the time is the whole `build` (or its refusal,
for cases over a limit). Growth must be linear or bounded: doubling the size must not
quadruple the time. Not a test (timings are noisy): run it by hand and copy the table.
"""
import os, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/boletin"

def headings(n):
    return "".join("## Mismo título\n\ntexto\n\n" for _ in range(n))

def ids(n):
    return "".join("## Título {#mismo}\n\ntexto\n\n" for _ in range(n))

def arguments(n):
    args = ", ".join(f"a{i}=1" for i in range(n))
    return "{{ cifra(" + args + ") }}\n"

def html_nesting(n):
    return "<div>" * n + "x" + "</div>" * n + "\n"

CASES = [
    ("título repetido", headings, [1000, 2000, 4000, 8000]),
    ("{#id} repetido", ids, [1000, 2000, 4000, 8000]),
    ("argumentos de atajo", arguments, [12500, 25000, 50000, 100000]),
    ("HTML anidado", html_nesting, [10000, 20000, 40000, 80000]),
]

def run(body):
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(f"{d}/content/boletines")
        open(f"{d}/content/sitio.yaml", "w").write("titulo: T\nurl_base: https://example.org/\n")
        open(f"{d}/content/boletines/a.md", "w").write(
            "---\ntitulo: A\nfecha: 2018-01-01\n---\n" + body)
        t = time.perf_counter()
        p = subprocess.run([BIN, "build", "--root", d], capture_output=True)
        return time.perf_counter() - t, p.returncode

for name, make, sizes in CASES:
    row = []
    for n in sizes:
        secs, code = run(make(n))
        row.append(f"{n}: {secs:.2f} s (exit {code})")
    print(f"{name:22} " + " | ".join(row), flush=True)
