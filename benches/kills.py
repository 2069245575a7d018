#!/usr/bin/env python3
"""SIGKILLs during builds and two builds at once (issue 28), through a boletin binary.

    python3 benches/kills.py [path/to/boletin] [kills] [rounds]

A copy of the example site is built in two versions (one bulletin's title differs). Each
kill round flips the version, starts `build --full`, kills it with SIGKILL at a random
moment within its usual duration, and checks that output/ is exactly version A or exactly
version B (every file, byte for byte). Each concurrency round flips the version, starts two
builds at once, waits for both, and checks the same. Prints the counts.
"""
import hashlib, os, random, shutil, signal, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/boletin"
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")

def tree(d):
    h = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            h[os.path.relpath(p, d)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return h

def build(site, *extra):
    return subprocess.Popen([BIN, "build", "--root", site, *extra], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

with tempfile.TemporaryDirectory() as d:
    site = os.path.join(d, "sitio")
    shutil.copytree("content", os.path.join(site, "content"))
    victim = sorted(os.listdir(os.path.join(site, "content/boletines")))[0]
    victim = os.path.join(site, "content/boletines", victim)
    original = open(victim).read()
    versions = [original, original.replace("\n---\n", "\n---\nVERSION-B\n\n", 1)]
    snaps = []
    for v in versions:
        open(victim, "w").write(v)
        t = time.perf_counter()
        p = subprocess.run([BIN, "build", "--root", site, "--full"], env=ENV, capture_output=True)
        assert p.returncode == 0, p.stderr.decode()
        duration = time.perf_counter() - t
        snaps.append(tree(os.path.join(site, "output")))
    assert snaps[0] != snaps[1]
    bad = 0
    for i in range(KILLS):
        open(victim, "w").write(versions[i % 2])
        p = build(site, "--full")
        time.sleep(random.uniform(0, duration * 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        if tree(os.path.join(site, "output")) not in snaps:
            bad += 1
    print(f"{KILLS} SIGKILLs (build ~{duration:.2f} s): {bad} corrupted outputs", flush=True)
    partial = 0
    for i in range(ROUNDS):
        open(victim, "w").write(versions[i % 2])
        a, b = build(site, "--full"), build(site, "--full")
        codes = (a.wait(), b.wait())
        if codes != (0, 0) or tree(os.path.join(site, "output")) != snaps[i % 2]:
            partial += 1
    print(f"{ROUNDS} rounds of two builds at once: {partial} partial or wrong outputs")
