"""Wiring: sources -> articles -> extractions -> graph, the whole job behind ``kg build``.

>>> kgraph = build(["seeds/"], window="sentence")
>>> kgraph.write_all("output/")
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .extract import extract
from .link import build_graph
from .pipeline import load_pipeline
from .query import KnowledgeGraph
from .read import read_articles

Source = Union[str, Path]


def build(
    sources: Union[Source, Iterable[Source]],
    *,
    model: Optional[Source] = None,
    window: str = "sentence",
    min_weight: int = 1,
    include_bylines: bool = False,
    patterns: Optional[Source] = None,
    jobs: int = 1,
    progress: bool = False,
    on_warning: Optional[Callable[[str], None]] = None,
) -> KnowledgeGraph:
    """Read articles, extract their entities and link them into a :class:`KnowledgeGraph`.

    ``sources``: .txt files (a newspaper page is split into its articles), folders, JSON Lines
    or CSV with a ``text`` column. ``window``: "sentence", "paragraph" or "article".
    """
    # options are checked before the slow part starts
    build_graph([], window=window, min_weight=min_weight)
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, not {jobs!r}")
    articles = list(read_articles(sources, on_warning=on_warning))
    nlp = load_pipeline(model, patterns=patterns)
    extractions = list(extract(articles, nlp=nlp, n_process=jobs, progress=progress, total=len(articles)))
    graph = build_graph(extractions, window=window, min_weight=min_weight, include_bylines=include_bylines)
    return KnowledgeGraph(graph, extractions)
