#!/usr/bin/env python3
"""What the PDFs cost (issue 23, item 7): whole builds of the bench corpus with `pdf: true`
and without, timed through a boletin binary with `/usr/bin/time -v`.

    python3 benches/pdf.py [path/to/boletin]          # default target/release/boletin
    SIZES=100,1000 ROUNDS=3 python3 benches/pdf.py

For each size, the corpus of `../shared/bench/gen_corpus.py` (generated once into
`target/bench-corpus/<N>/`, as `benches/site.rs` does) is copied twice to `/dev/shm`: as it
is (no PDFs) and with `pdf: true` in its `sitio.yaml`. Each round then runs, as separate
processes:

- `off full`: no PDFs, first build (no output folder, no `.boletin/`);
- `off again`: the same, nothing changed;
- `on full`: every bulletin's PDF, first build (no PDF cache);
- `on again`: the same, nothing changed;
- `on warm`: the output folder deleted, `.boletin/` kept: every page is written again and
  every PDF comes from the cache;
- `on 1 edit`: one bulletin's text changed: its PDF is typeset, the others reused.

Printed per step: the median wall time, user and system CPU seconds, peak resident memory
(the maximum over the rounds), the load average when it started, and boletin's own summary
line (how many PDFs it typeset and reused). Not a test (timings are noisy): run it by hand
and copy the table to docs/rendimiento.md, with the CPU and the load.
"""
import os, re, shutil, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/boletin"))
SIZES = [int(s) for s in os.environ.get("SIZES", "100,1000").split(",") if s.strip()]
ROUNDS = int(os.environ.get("ROUNDS", "1"))
SHARED = os.environ.get("BOLETIN_SHARED", os.path.join(ROOT, "..", "shared"))
SCRATCH = "/dev/shm/boletin-pdf-bench" if os.path.isdir("/dev/shm") else "/tmp/boletin-pdf-bench"


def corpus(size):
    """The corpus of `size` bulletins, generated once (the same folder `benches/site.rs` uses)."""
    path = os.path.join(ROOT, "target", "bench-corpus", str(size))
    if not os.path.isfile(os.path.join(path, "content", "sitio.yaml")):
        subprocess.run(["python3", os.path.join(SHARED, "bench", "gen_corpus.py"),
                        "--pages", str(size), "--flavor", "boletin", "--out", path],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def copy(src, dst, pdf):
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(src, "content"), os.path.join(dst, "content"))
    if pdf:
        with open(os.path.join(dst, "content", "sitio.yaml"), "a", encoding="utf-8") as f:
            f.write("pdf: true\n")


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def timed(root, out):
    """One `boletin build`: wall, user and system seconds, peak KiB, load at start, summary."""
    start_load = load()
    run = subprocess.run(["/usr/bin/time", "-v", BIN, "build", "--root", root, "--output", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"boletin build failed:\n{run.stdout}\n{run.stderr}")
    err = run.stderr

    def field(name):
        return re.search(re.escape(name) + r": (.*)", err).group(1).strip()

    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    summary = ([l for l in (run.stdout + run.stderr).splitlines()
                if l.startswith(("listo", "sin cambios", "nada"))] + [""])[0]
    summary = re.sub(r" en /\S+$", "", summary).split(":")[0] if summary.startswith("sin") else \
        re.sub(r" en /\S+$", "", summary)
    return (wall, float(field("User time (seconds)")), float(field("System time (seconds)")),
            int(field("Maximum resident set size (kbytes)")), start_load, summary)


def edit_one(root):
    folder = os.path.join(root, "content", "boletines")
    first = sorted(os.listdir(folder))[0]
    with open(os.path.join(folder, first), "a", encoding="utf-8") as f:
        f.write("\nUna frase más para la medición.\n")


def pdfs(out):
    return sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".pdf"))


STEPS = ["off full", "off again", "on full", "on again", "on warm", "on 1 edit"]


def main():
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    print(f"boletin: {BIN}\nCPU: {model}, {os.cpu_count()} CPU\nrounds: {ROUNDS}\n")
    print(f"{'bulletins':>9} {'step':<10} {'wall':>8} {'user':>8} {'sys':>7} {'peak':>9} {'load':>5}  summary")
    for size in SIZES:
        src = corpus(size)
        off, on = os.path.join(SCRATCH, f"{size}-off"), os.path.join(SCRATCH, f"{size}-on")
        out_off, out_on = off + "-out", on + "-out"
        results = {s: [] for s in STEPS}
        for _ in range(ROUNDS):
            copy(src, off, False)
            copy(src, on, True)
            for out in (out_off, out_on):
                shutil.rmtree(out, ignore_errors=True)
            results["off full"].append(timed(off, out_off))
            results["off again"].append(timed(off, out_off))
            assert pdfs(out_off) == 0, "PDFs with pdf off"
            results["on full"].append(timed(on, out_on))
            assert pdfs(out_on) == size, f"{pdfs(out_on)} PDFs for {size} bulletins"
            results["on again"].append(timed(on, out_on))
            shutil.rmtree(out_on)
            results["on warm"].append(timed(on, out_on))
            edit_one(on)
            results["on 1 edit"].append(timed(on, out_on))
            assert pdfs(out_on) == size
        for step in STEPS:
            rs = results[step]
            med = lambda i: statistics.median(r[i] for r in rs)
            print(f"{size:>9} {step:<10} {med(0):>7.2f}s {med(1):>7.2f}s {med(2):>6.2f}s "
                  f"{max(r[3] for r in rs) / 1024:>5.0f} MiB {rs[-1][4]:>5.2f}  {rs[-1][5]}")
        shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
