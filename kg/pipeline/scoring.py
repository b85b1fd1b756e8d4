"""Exact-span precision, recall and F1: one scorer for training reports, benchmarks and tests."""
from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, Sequence, Tuple

Span = Tuple[int, int, str]


def score_spans(gold: Iterable[Sequence[Span]], pred: Iterable[Sequence[Span]], *, labels=None) -> Dict[str, dict]:
    """Per-label and micro P/R/F1 over documents, counting only exact (start, end, label) matches.

    >>> score_spans([[(0, 3, "PERSON")]], [[(0, 3, "PERSON"), (4, 6, "ORG")]])["micro"]["f"]
    0.6667
    """
    tp, n_gold, n_pred = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        g = {s for s in g if labels is None or s[2] in labels}
        p = {s for s in p if labels is None or s[2] in labels}
        for s in g & p:
            tp[s[2]] += 1
        for s in g:
            n_gold[s[2]] += 1
        for s in p:
            n_pred[s[2]] += 1
    out = {label: _prf(tp[label], n_pred[label], n_gold[label]) for label in sorted(n_gold | n_pred)}
    out["micro"] = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "n_gold": n_gold, "n_pred": n_pred}
