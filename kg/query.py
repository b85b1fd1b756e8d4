"""Stage 5: the questions people ask of an entity graph, over a networkx graph.

>>> kgraph = kg.build(["seeds/"])
>>> kgraph.neighbors("袁加伟").head()
>>> kgraph.relation("郑建国", "深圳市芯联电股份有限公司")["evidence"]
>>> kgraph.top(by="pagerank", n=5)
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Union

import networkx as nx
import pandas as pd

from . import export
from .extract import Extraction
from .link import node_key

CENTRALITIES = ("degree", "pagerank", "betweenness")


class UnknownEntity(KeyError):
    """No entity by that name; the message lists the closest names."""

    def __str__(self) -> str:
        return self.args[0]


class KnowledgeGraph:
    """An entity graph (``.graph``, a networkx Graph) with query methods and writers.

    Entities are named by ``"TYPE:name"`` or by name alone when only one type has that name.
    """

    def __init__(self, graph: nx.Graph, extractions: Optional[Iterable[Extraction]] = None):
        self.graph = graph
        # a re-iterable source (a list, or the store's lazy reader) is kept as it is, so a big
        # corpus is read again only when relation() asks for every sentence; a one-shot iterator
        # has to be held
        self._extractions = list(extractions) if isinstance(extractions, Iterator) else extractions
        self._by_name: Dict[str, List[str]] = {}
        for key, data in graph.nodes(data=True):
            self._by_name.setdefault(data["name"], []).append(key)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph: {self.graph.number_of_nodes()} entities, {self.graph.number_of_edges()} links>"

    # -- names ---------------------------------------------------------------------------------
    def resolve(self, name: str, *, type: Optional[str] = None) -> str:
        """The node key for ``name`` (or ``"TYPE:name"``); raises :class:`UnknownEntity` with suggestions."""
        if not isinstance(name, str) or not name:
            raise TypeError(f"an entity name must be a non-empty string, not {name!r}")
        if name in self.graph:
            return name
        if type is not None:
            key = node_key(type, name)
            if key in self.graph:
                return key
        keys = self._by_name.get(name, [])
        if len(keys) == 1:
            return keys[0]
        if len(keys) > 1:
            # the same name as two types (江海 PLACE and ORG): take the most mentioned
            return max(keys, key=lambda k: self.graph.nodes[k]["mentions"])
        close = difflib.get_close_matches(name, list(self._by_name), n=5, cutoff=0.3)
        contained = [n for n in self._by_name if name in n or n in name][:5]
        suggestions = list(dict.fromkeys(contained + close))[:5]
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        raise UnknownEntity(f"no entity named {name!r} in the graph{hint}")

    # -- tables --------------------------------------------------------------------------------
    def entities(self, *, type: Optional[str] = None) -> pd.DataFrame:
        """All entities as a table, most mentioned first."""
        table = export.entities_table(self.graph)
        return table[table["type"] == type].reset_index(drop=True) if type else table

    def relations(self) -> pd.DataFrame:
        """All links as a table, heaviest first."""
        return export.relations_table(self.graph)

    def neighbors(self, name: str, *, type: Optional[str] = None, limit: Optional[int] = None) -> pd.DataFrame:
        """Entities linked to ``name``, ranked by weight, with the first evidence sentence.

        >>> kgraph.neighbors("袁加伟", type="PERSON")
        """
        key = self.resolve(name)
        rows = []
        for other, d in self.graph[key].items():
            o = self.graph.nodes[other]
            if type and o["type"] != type:
                continue
            ev = d.get("evidence") or [{}]
            rows.append({"key": other, "name": o["name"], "type": o["type"], "weight": d["weight"],
                         "articles": d["articles"], "npmi": d["npmi"], "evidence": ev[0].get("sentence", ""),
                         "title": ev[0].get("title", "")})
        cols = ["key", "name", "type", "weight", "articles", "npmi", "evidence", "title"]
        table = pd.DataFrame(rows, columns=cols).sort_values(["weight", "npmi", "key"], ascending=[False, False, True])
        table = table.reset_index(drop=True)
        return table.head(limit) if limit else table

    def relation(self, a: str, b: str) -> dict:
        """How two entities are linked: weight, articles and every sentence where both occur."""
        ka, kb = self.resolve(a), self.resolve(b)
        edge = self.graph.get_edge_data(ka, kb)
        if edge is None:
            return {"source": ka, "target": kb, "weight": 0, "articles": 0, "npmi": None, "evidence": []}
        evidence = self._all_evidence(ka, kb) if self._extractions is not None else list(edge["evidence"])
        return {"source": ka, "target": kb, "weight": edge["weight"], "articles": edge["articles"],
                "npmi": edge["npmi"], "evidence": evidence}

    def _all_evidence(self, ka: str, kb: str) -> List[dict]:
        found = []
        for ex in self._extractions:
            sent_a = {m.sentence for m in ex.mentions if node_key(m.type, m.name) == ka}
            if not sent_a:
                continue
            sent_b = {m.sentence for m in ex.mentions if node_key(m.type, m.name) == kb}
            for s in sorted(sent_a & sent_b):
                found.append({"article": ex.article.id, "title": ex.article.title,
                              "sentence": ex.sentences[s], "date": ex.article.date})
        return found or list(self.graph.edges[ka, kb]["evidence"])

    # -- structure -----------------------------------------------------------------------------
    def path(self, a: str, b: str) -> List[dict]:
        """The shortest chain of links from ``a`` to ``b``, each step with its first evidence.

        Raises ``networkx.NetworkXNoPath`` when they are not connected.
        """
        ka, kb = self.resolve(a), self.resolve(b)
        # heavier links are shorter: the path prefers well-attested relations
        nodes = nx.shortest_path(self.graph, ka, kb, weight=lambda u, v, d: 1.0 / d["weight"])
        steps = []
        for u, v in zip(nodes, nodes[1:]):
            d = self.graph.edges[u, v]
            steps.append({"source": u, "target": v, "weight": d["weight"],
                          "evidence": (d.get("evidence") or [{}])[0].get("sentence", "")})
        return steps

    def top(self, *, by: str = "degree", n: int = 10, type: Optional[str] = None) -> pd.DataFrame:
        """The most central entities by ``degree`` (weighted), ``pagerank`` or ``betweenness``."""
        if by not in CENTRALITIES:
            raise ValueError(f"by must be one of {', '.join(CENTRALITIES)}, not {by!r}")
        g = self.graph
        if by == "degree":
            scores = dict(g.degree(weight="weight"))
        elif by == "pagerank":
            scores = nx.pagerank(g, weight="weight") if g.number_of_edges() else {k: 0.0 for k in g}
        else:
            scores = nx.betweenness_centrality(g, k=min(500, len(g)) if len(g) > 2000 else None, seed=0)
        rows = [{"key": k, "name": g.nodes[k]["name"], "type": g.nodes[k]["type"], by: s}
                for k, s in scores.items() if not type or g.nodes[k]["type"] == type]
        table = pd.DataFrame(rows, columns=["key", "name", "type", by])
        return table.sort_values([by, "key"], ascending=[False, True]).head(n).reset_index(drop=True)

    def communities(self, *, seed: int = 0, resolution: float = 1.0) -> List[List[str]]:
        """Groups of densely linked entities (Louvain), largest first, each sorted by mentions."""
        groups = nx.community.louvain_communities(self.graph, weight="weight", seed=seed, resolution=resolution)
        by_mentions = lambda k: (-self.graph.nodes[k]["mentions"], k)  # noqa: E731
        return sorted((sorted(c, key=by_mentions) for c in groups), key=lambda c: (-len(c), c[0]))

    def ego(self, name: str, *, radius: int = 1) -> "KnowledgeGraph":
        """The entity, its neighbours within ``radius`` links and the links among them."""
        sub = nx.ego_graph(self.graph, self.resolve(name), radius=radius).copy()
        return KnowledgeGraph(sub, self._extractions)

    # -- writers -------------------------------------------------------------------------------
    def write_graphml(self, path: Union[str, Path]) -> Path:
        return export.write_graphml(self.graph, path)

    def write_gexf(self, path: Union[str, Path]) -> Path:
        return export.write_gexf(self.graph, path)

    def write_json(self, path: Union[str, Path]) -> Path:
        return export.write_json(self.graph, path)

    def write_csv(self, out_dir: Union[str, Path]) -> List[Path]:
        out = Path(out_dir)
        return [export.write_csv(self.entities(), out / "entities.csv"),
                export.write_csv(self.relations(), out / "relations.csv")]

    def write_html(self, path: Union[str, Path], *, max_nodes: int = 300, title: str = "kg") -> Path:
        from .page import write_page

        return write_page(self.graph, path, max_nodes=max_nodes, title=title)

    def write_all(self, out_dir: Union[str, Path], *, max_nodes: int = 300,
                  parallel: Optional[bool] = None) -> List[Path]:
        """graph.html, graph.graphml, graph.json, entities.csv and relations.csv in ``out_dir``.

        ``parallel``: a second process (forked, Linux) writes GraphML and the page while this one
        writes JSON and the tables; at 200k links each half takes about as long. By default only for
        graphs of 20,000 links or more: below that, starting the process costs more than it saves.
        """
        out = Path(out_dir)
        if parallel is None:
            parallel = self.graph.number_of_edges() >= 20_000
        if not parallel:
            return [self.write_html(out / "graph.html", max_nodes=max_nodes), self.write_graphml(out / "graph.graphml"),
                    self.write_json(out / "graph.json"), *self.write_csv(out)]
        other = export.in_background(lambda: [self.write_html(out / "graph.html", max_nodes=max_nodes),
                                              self.write_graphml(out / "graph.graphml")])
        try:
            json_path, csv = self.write_json(out / "graph.json"), self.write_csv(out)
        finally:  # waited for even when this side failed, so no writer outlives the call
            html, graphml = other.result()
        return [html, graphml, json_path, *csv]

    def show(self, *, max_nodes: int = 300, height: int = 650):
        """Display the graph page inline in a Jupyter notebook."""
        from html import escape

        from IPython.display import HTML

        from .page import page_html

        doc = page_html(self.graph, max_nodes=max_nodes)
        # an iframe keeps the page's scripts and styles apart from the notebook's
        return HTML(f'<iframe srcdoc="{escape(doc, quote=True)}" style="width:100%;height:{height}px;border:0"></iframe>')
