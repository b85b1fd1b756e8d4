"""Precision, recall and F1 of entity predictions: one scorer for training reports, benchmarks and tests."""
from __future__ import annotations

from collections import Counter
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

Span = Tuple[int, int, str]


def score_spans(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]],
                labels: Optional[Sequence[str]] = None) -> Dict[str, Dict[str, float]]:
    """Exact-match P/R/F1 of ``(start, end, label)`` spans, per label and ``"micro"``.

    ``gold`` and ``pred`` are parallel lists, one iterable of spans per document; only ``labels``
    count when given. Each value is a dict with tp, fp, fn, p, r, f.

    >>> score_spans([[(0, 3, "PERSON"), (5, 8, "ORG")]], [[(0, 3, "PERSON"), (5, 7, "ORG")]])["micro"]["f"]
    0.5
    """
    return _score_items(gold, pred, labels, lambda x: x[2])


def entity_sets(texts: Sequence[str], spans: Sequence[Iterable[Span]]) -> List[Set[Tuple[str, str]]]:
    """Per document, the set of ``(label, entity text)`` pairs: what a reader compares."""
    return [{(lab, t[s:e]) for s, e, lab in sp} for t, sp in zip(texts, spans)]


def score_sets(gold: Sequence[Iterable[Tuple[str, str]]], pred: Sequence[Iterable[Tuple[str, str]]],
               labels: Optional[Sequence[str]] = None) -> Dict[str, Dict[str, float]]:
    """P/R/F1 of per-document ``(label, text)`` sets, micro over documents ("set F1")."""
    return _score_items(gold, pred, labels, lambda x: x[0])


def _prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": p, "r": r, "f": f}


def _score_items(gold: Sequence[Iterable[tuple]], pred: Sequence[Iterable[tuple]],
                 labels: Optional[Sequence[str]], label_of: Callable) -> Dict[str, Dict[str, float]]:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted")
    keep = set(labels) if labels is not None else None
    counts: Dict[str, Counter] = {}
    for g_items, p_items in zip(gold, pred):
        g = {x for x in g_items if keep is None or label_of(x) in keep}
        p = {x for x in p_items if keep is None or label_of(x) in keep}
        for kind, items in (("tp", g & p), ("fp", p - g), ("fn", g - p)):
            for x in items:
                counts.setdefault(label_of(x), Counter())[kind] += 1
    order = list(labels) if labels is not None else sorted(counts)
    out = {lab: _prf(*(counts.get(lab, Counter())[k] for k in ("tp", "fp", "fn"))) for lab in order}
    total = sum(counts.values(), Counter())
    out["micro"] = _prf(total["tp"], total["fp"], total["fn"])
    return out
