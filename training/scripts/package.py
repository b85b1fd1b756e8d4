"""Assemble the trained NER with kg's rule components and write it into the package (kg/model).

    python scripts/package.py runs/silver/model-best ../kg/model --gazetteer corpus/gazetteer.jsonl
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import spacy
import srsly

import kg.pipeline  # noqa: F401  (registers kg's factories)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("trained", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--gazetteer", type=Path, help="EntityRuler JSONL from scripts/gazetteer.py")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--max-mb", type=float, default=60.0)
    args = ap.parse_args()

    nlp = spacy.load(args.trained)
    nlp.add_pipe("kg_sentences", first=True)
    last = "ner"
    if args.gazetteer:
        # known places and office short forms; on overlap the longer span wins (a model's 江门市住建局
        # keeps its prefix, a model's half 区经 gives way to 区经促局), on a tie the gazetteer
        ruler = nlp.add_pipe("kg_phrase_ruler", name="kg_gazetteer", after="ner",
                             config={"spans_key": None, "annotate_ents": True, "overwrite": False,
                                     "ents_filter": {"@misc": "kg.new_longest_spans_filter.v1"}})
        ruler.add_patterns(list(srsly.read_jsonl(args.gazetteer)))
        last = "kg_gazetteer"
    nlp.add_pipe("kg_orgs", after=last)
    nlp.add_pipe("kg_places", after="kg_orgs")
    nlp.add_pipe("kg_projects", after="kg_places")
    nlp.add_pipe("kg_names", last=True)
    nlp.meta.update(
        name="zh_news", version=args.version, description="kg's Chinese news NER: PERSON, ORG, PLACE, PROJECT",
        author="kg", license="MIT",
        sources=[{"name": "MSRA NER (SIGHAN 2006)"}, {"name": "CLUENER2020"}],
    )
    tmp = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    # the same recognizer, predicting with kg's batched decoder (kg/pipeline/ner.py): only the
    # factory's name changes, the weights and moves load as they are
    config = spacy.util.load_config(tmp / "config.cfg")
    config["components"]["ner"]["factory"] = "kg_ner"
    config.to_disk(tmp / "config.cfg")
    size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file()) / 2**20
    if size > args.max_mb:
        shutil.rmtree(tmp)
        raise SystemExit(f"packaged pipeline is {size:.1f} MB, over the {args.max_mb} MB limit")
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    print(f"{args.out}: {size:.1f} MB, pipeline {nlp.pipe_names}")


if __name__ == "__main__":
    main()
