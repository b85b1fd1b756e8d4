"""Hand-annotated local news passages (training only) to spaCy DocBins for the local fine-tune.

    python scripts/local_train.py assets/train corpus/local --gold corpus --copies 5 --dev-share 0.15

Reads JSONL in the format of ``assets/`` (``scripts/markup.py`` writes it), keeps PERSON, ORG and
PLACE, and marks PROJECT spans as *missing* rather than outside: no corpus teaches projects (the
rules find them), and a project's name holds places and companies the model should neither be
taught to find nor to miss there. A seeded share of passages goes to ``dev.spacy``; the rest is
written ``--copies`` times to ``train.spacy``, since a few hundred passages would otherwise be lost
among the corpora's 60,000 sentences. With ``--gold``, the gold corpora's train.spacy and dev.spacy are
copied beside them (``OUT/train/``, ``OUT/dev/``), so that spaCy reads both from one folder each.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

KEPT = {"PERSON", "ORG", "PLACE"}


def to_doc(nlp, row: dict, *, where: str):
    """One passage as a Doc whose PROJECT characters are unknown to the loss."""
    doc = nlp.make_doc(row["text"])
    ents, missing = [], []
    for start, end, label in sorted(row["spans"]):
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            raise ValueError(f"{where}: span [{start}, {end}] does not fall on token edges")
        (ents if label in KEPT else missing).append(span)
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+", help="JSONL files of annotated passages, or folders of them")
    parser.add_argument("out", type=Path, help="folder for train.spacy and dev.spacy")
    parser.add_argument("--gold", type=Path, help="folder with the gold corpora's train.spacy and dev.spacy to copy beside them")
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--dev-share", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    docs = []
    paths = [p for s in args.sets for p in (sorted(s.glob("*.jsonl")) if s.is_dir() else [s])]
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf8").splitlines(), 1):
            if line.strip():
                docs.append(to_doc(nlp, json.loads(line), where=f"{path}:{n}"))
    random.Random(args.seed).shuffle(docs)
    n_dev = round(len(docs) * args.dev_share)
    dev, train = docs[:n_dev], docs[n_dev:]
    train_dir, dev_dir = (args.out / "train", args.out / "dev") if args.gold else (args.out, args.out)
    for folder in (train_dir, dev_dir):
        folder.mkdir(parents=True, exist_ok=True)
    DocBin(docs=dev).to_disk(dev_dir / ("local.spacy" if args.gold else "dev.spacy"))
    DocBin(docs=train * args.copies).to_disk(train_dir / ("local.spacy" if args.gold else "train.spacy"))
    if args.gold:
        shutil.copyfile(args.gold / "train.spacy", train_dir / "gold.spacy")
        shutil.copyfile(args.gold / "dev.spacy", dev_dir / "gold.spacy")
    n_ents = sum(len(d.ents) for d in train)
    print(f"{len(paths)} files: {len(train)} training passages x {args.copies} ({n_ents} entities each time), "
          f"{len(dev)} dev passages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
