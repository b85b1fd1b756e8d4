"""Stage 3: mentions -> a networkx graph of entities linked by co-occurrence, with evidence.

Nodes are keyed ``"TYPE:name"``; two entities are linked when they occur in the same window
(sentence, paragraph or article). Windows never cross articles, so no edge joins entities that
never share an article.

>>> g = build_graph(extractions, window="sentence")
>>> g.edges["PERSON:郑建国", "ORG:深圳市芯联电股份有限公司"]["evidence"][0]["sentence"]
'深圳市芯联电股份有限公司董事长郑建国对江海区的营商环境颇为赞赏。'
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Dict, Iterable, List, Sequence, Tuple

import networkx as nx
import numpy

from ._gc import paused_gc
from .extract import Extraction, Mention

WINDOWS = ("sentence", "paragraph", "article")
MAX_EVIDENCE = 3


def node_key(type_: str, name: str) -> str:
    return f"{type_}:{name}"


def build_graph(
    extractions: Iterable[Extraction],
    *,
    window: str = "sentence",
    min_weight: int = 1,
    include_bylines: bool = False,
) -> nx.Graph:
    """Link entities that occur in the same window.

    Edge ``weight`` counts the windows holding both, ``articles`` the articles, ``npmi`` the
    normalised pointwise mutual information of the pair over all windows, and ``evidence`` keeps
    up to three sentences with their article. Reporters named in bylines are nodes but are left
    out of links unless ``include_bylines``; otherwise every reporter would be a hub.
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    if not isinstance(min_weight, int) or min_weight < 1:
        raise ValueError(f"min_weight must be a positive integer, not {min_weight!r}")
    with paused_gc():
        return _build_graph(extractions, window, min_weight, include_bylines)


def _build_graph(extractions: Iterable[Extraction], window: str, min_weight: int, include_bylines: bool) -> nx.Graph:
    graph = nx.Graph(window=window)
    articles: Dict[str, dict] = {}
    nodes: Dict[str, dict] = {}
    node_windows: Counter = Counter()
    # per linked pair: [windows, articles, last article, first date, last date, evidence]; articles
    # come one at a time, so a pair's article count goes up when its last article changes
    pairs: Dict[Tuple[str, str], list] = {}
    n_windows = 0

    for ex in extractions:
        art = ex.article
        aid, date = art.id, art.date
        articles[aid] = {"title": art.title, "date": date, "source": art.source, "url": art.url}
        groups: Dict[object, Dict[str, Mention]] = defaultdict(dict)  # window -> entity -> first mention
        for m in ex.mentions:
            key = node_key(m.type, m.name)
            _add_mention(nodes, key, m)
            if m.byline and not include_bylines:
                continue
            groups[_window_id(m, window)].setdefault(key, m)
        n_windows += _count_windows(ex, window)
        for members in groups.values():
            keys = sorted(members)
            node_windows.update(keys)
            for a, b in combinations(keys, 2):
                pair = pairs.get((a, b))
                if pair is None:
                    pairs[a, b] = [1, 1, aid, date, date, [_evidence(ex, members[a], members[b])]]
                    continue
                pair[0] += 1
                if pair[2] != aid:
                    pair[1] += 1
                    pair[2] = aid
                    if date and (pair[3] is None or date < pair[3]):
                        pair[3] = date
                    if date and (pair[4] is None or date > pair[4]):
                        pair[4] = date
                if len(pair[5]) < MAX_EVIDENCE:
                    pair[5].append(_evidence(ex, members[a], members[b]))

    for data in nodes.values():
        ids = data.pop("_articles")
        data["articles"] = len(ids)
        data["article_ids"] = sorted(ids)
        data["roles"] = [r for r, _ in data.pop("_roles").most_common()]
        data["aliases"] = sorted(data.pop("_aliases"))
        dates = sorted(d for d in (articles[i]["date"] for i in ids) if d)
        data["first_date"], data["last_date"] = (dates[0], dates[-1]) if dates else (None, None)
    graph.add_nodes_from(nodes.items())
    kept = [(pair, value) for pair, value in pairs.items() if value[0] >= min_weight]
    npmi = _npmi([v[0] for _, v in kept], [node_windows[a] for (a, _), _ in kept],
                 [node_windows[b] for (_, b), _ in kept], n_windows)
    graph.add_edges_from(
        (a, b, {"weight": weight, "articles": n_articles, "npmi": p,
                "evidence": evidence, "first_date": first, "last_date": last})
        for ((a, b), (weight, n_articles, _, first, last, evidence)), p in zip(kept, npmi)
    )
    graph.graph["articles"] = articles
    return graph


def _add_mention(nodes: Dict[str, dict], key: str, m: Mention) -> None:
    data = nodes.get(key)
    if data is None:
        data = nodes[key] = {"name": m.name, "type": m.type, "mentions": 0, "byline": False,
                             "_articles": set(), "_roles": Counter(), "_aliases": set()}
    data["mentions"] += 1
    data["_articles"].add(m.article)
    data["_aliases"].add(m.text)
    data["byline"] = data["byline"] or m.byline
    if m.role:
        data["_roles"][m.role] += 1


def _window_id(m: Mention, window: str):
    if window == "sentence":
        return m.sentence
    if window == "paragraph":
        return m.paragraph
    return 0


def _count_windows(ex: Extraction, window: str) -> int:
    if window == "sentence":
        return len(ex.sentences)
    if window == "paragraph":
        return len(set(ex.sentence_paragraphs))
    return 1


def _evidence(ex: Extraction, a: Mention, b: Mention) -> dict:
    if a.sentence == b.sentence:
        sentence = ex.sentences[a.sentence]
    else:
        first, second = sorted((a.sentence, b.sentence))
        sentence = ex.sentences[first] + " … " + ex.sentences[second]
    return {"article": ex.article.id, "title": ex.article.title, "sentence": sentence, "date": ex.article.date}


def _npmi(n_xy: Sequence[int], n_x: Sequence[int], n_y: Sequence[int], n: int) -> List[float]:
    """Normalised PMI in [-1, 1] of each pair (1 when the two only ever occur together), rounded to
    4 places; one numpy pass for all pairs."""
    n_xy, n_x, n_y = (numpy.asarray(v, dtype="float64") for v in (n_xy, n_x, n_y))
    if n <= 0:
        return [-1.0] * len(n_xy)
    p_xy = n_xy / n
    with numpy.errstate(divide="ignore", invalid="ignore"):
        value = numpy.log(p_xy / ((n_x / n) * (n_y / n))) / -numpy.log(p_xy)
    value = numpy.where(p_xy >= 1.0, 1.0, numpy.where(n_xy <= 0, -1.0, value))
    return numpy.round(value, 4).tolist()
