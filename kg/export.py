"""Stage 4b: write a graph to GraphML (Gephi), GEXF, node-link JSON and CSV tables.

No writer changes the graph: lists and dicts become JSON text in what is written (or in a copy, for
networkx's writers), never in place. Files are written to a temporary name beside the target and
renamed, so a failed write never leaves half a file.

>>> write_graphml(graph, "output/graph.graphml")
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import sys
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Union

import networkx as nx
import pandas as pd

from ._gc import paused_gc

PathLike = Union[str, Path]
# Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab/newline/CR, surrogates, FFFE/FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@contextmanager
def atomic_path(path: PathLike, *, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix + ".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_text(value: str) -> str:
    """Drop characters that XML cannot hold."""
    return _XML_INVALID.sub("", value)


def _scalar(value):
    if isinstance(value, (int, float)):
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple, set, dict)):
        return clean_text(json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False))
    return value


def scalar_graph(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all scalars (lists and dicts as JSON text), as GraphML and GEXF need."""
    flat = nx.Graph()
    flat.graph.update({k: _scalar(v) for k, v in graph.graph.items() if k != "articles"})
    flat.graph["articles"] = len(graph.graph.get("articles", {}))
    keys = {node: clean_text(node) for node in graph}
    flat.add_nodes_from((keys[node], {k: _scalar(v) for k, v in data.items()}) for node, data in graph.nodes(data=True))
    flat.add_edges_from((keys[u], keys[v], {k: _scalar(val) for k, val in data.items()})
                        for u, v, data in graph.edges(data=True))
    return flat


def write_graphml(graph: nx.Graph, path: PathLike) -> Path:
    """GraphML with scalar attributes: ``name``, ``type``, counts on nodes; ``weight``, ``articles``,
    ``npmi`` and ``evidence`` (JSON text) on edges. Loads in networkx (``nx.read_graphml``) and Gephi.

    The document networkx writes for :func:`scalar_graph` (same keys, types and ids; a test reads
    it back and compares), streamed a node or an edge at a time from the graph as it is. networkx
    first needs the whole scalar copy, then builds an element per attribute: 8.5 s at 226k links
    against about 3.7 s here, and GraphML is the slowest of kg's outputs.
    """
    graph_data = {k: v for k, v in graph.graph.items() if k != "articles"}
    graph_data["articles"] = len(graph.graph.get("articles", {}))
    types = {"graph": _attribute_types([graph_data]),
             "node": _attribute_types(d for _, d in graph.nodes(data=True)),
             "edge": _attribute_types(d for _, _, d in graph.edges(data=True))}
    keys = {scope: {name: f"{scope[0]}{i}" for i, name in enumerate(found)} for scope, found in types.items()}

    def data(scope: str, attrs: dict) -> str:
        ids, typed = keys[scope], types[scope]
        return "".join(f'<data key="{ids[k]}">{_xml_escape(_graphml_text(v, typed[k]))}</data>'
                       for k, v in attrs.items())

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"{_GRAPHML}\">\n")
        for scope, found in types.items():
            for name, type_ in found.items():
                out.write(f'<key id="{keys[scope][name]}" for="{scope}" attr.name={_xml_attr(str(name))} '
                          f'attr.type="{type_}"/>\n')
        out.write(f'<graph edgedefault="{"directed" if graph.is_directed() else "undirected"}">\n')
        out.write(data("graph", graph_data) + "\n")
        for node, attrs in graph.nodes(data=True):
            out.write(f"<node id={_xml_attr(str(node))}>{data('node', attrs)}</node>\n")
        for u, v, attrs in graph.edges(data=True):
            out.write(f"<edge source={_xml_attr(str(u))} target={_xml_attr(str(v))}>{data('edge', attrs)}</edge>\n")
        out.write("</graph>\n</graphml>\n")
    return Path(path)


_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPES = {bool: "boolean", int: "int", float: "double", str: "string"}


def _attribute_types(items) -> dict:
    """{attribute: GraphML type} over all items; mixed numbers are doubles, any other mix strings;
    lists, dicts and None are strings (JSON text, or empty)."""
    found: dict = {}
    for data in items:
        for name, value in data.items():
            type_ = _GRAPHML_TYPES.get(type(value), "string")
            seen = found.setdefault(name, type_)
            if seen != type_:
                found[name] = "double" if {seen, type_} <= {"int", "double"} else "string"
    return found


def _xml_escape(text: str) -> str:
    # a raw CR would come back as a line feed: XML parsers normalise line ends
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(text: str) -> str:
    """A quoted attribute value: escaped, and without what XML cannot hold."""
    return '"' + _xml_escape(clean_text(text)).replace('"', "&quot;") + '"'


def _graphml_text(value, type_: str) -> str:
    if type_ == "string":
        return _scalar(value) if not isinstance(value, (bool, int, float)) else str(value)
    if type_ == "boolean":
        return "true" if value else "false"
    return str(value)


def write_gexf(graph: nx.Graph, path: PathLike) -> Path:
    with atomic_path(path) as tmp:
        nx.write_gexf(scalar_graph(graph), tmp, encoding="utf-8")
    return Path(path)


def write_json(graph: nx.Graph, path: PathLike) -> Path:
    """node-link JSON (networkx's ``node_link_data``), lists and evidence kept as JSON values."""
    with paused_gc():
        data = nx.node_link_data(graph, edges="links")
        # no indent: a 200k-link graph dumps in 1.3 s instead of 5.9 s, and any JSON viewer re-indents
        text = json.dumps(data, ensure_ascii=False)
    with atomic_path(path) as tmp:
        # a lone surrogate (only possible from Python callers) cannot be UTF-8: replace it, don't fail
        tmp.write_bytes(text.encode("utf-8", "replace"))
    return Path(path)


def read_json(path: PathLike) -> nx.Graph:
    """Read a graph written by :func:`write_json`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="links")


def entities_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per entity: name, type, mentions, articles, degree, weighted degree, roles."""
    rows = [
        {
            "key": n, "name": d["name"], "type": d["type"], "mentions": d.get("mentions", 0),
            "articles": d.get("articles", 0), "degree": graph.degree(n),
            "weighted_degree": graph.degree(n, weight="weight"),
            "roles": "；".join(d.get("roles", [])), "byline": bool(d.get("byline")),
        }
        for n, d in graph.nodes(data=True)
    ]
    cols = ["key", "name", "type", "mentions", "articles", "degree", "weighted_degree", "roles", "byline"]
    table = pd.DataFrame(rows, columns=cols)
    return table.sort_values(["mentions", "key"], ascending=[False, True], ignore_index=True)


def relations_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per link: both ends, weight, articles, npmi and the first evidence sentence."""
    cols = ["source", "target", "source_type", "target_type", "weight", "articles", "npmi", "evidence", "article", "title"]
    columns = {c: [] for c in cols}  # built column by column: 2x faster than a dict per row at 200k links
    types = dict(graph.nodes(data="type"))
    for u, v, d in graph.edges(data=True):
        ev = (d.get("evidence") or [{}])[0]
        for col, value in zip(cols, (u, v, types[u], types[v], d["weight"], d["articles"], d["npmi"],
                                     ev.get("sentence", ""), ev.get("article", ""), ev.get("title", ""))):
            columns[col].append(value)
    table = pd.DataFrame(columns, columns=cols)
    return table.sort_values(["weight", "source", "target"], ascending=[False, True, True], ignore_index=True)


def write_csv(table: pd.DataFrame, path: PathLike) -> Path:
    # utf-8-sig so that Excel, which many newsroom users open CSV with, shows Chinese right
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)


_FORKED: tuple = ()  # what the forked writer runs: set just before the fork, inherited by the child


def _run_forked():
    fn, args = _FORKED
    return fn(*args)


def in_background(fn: Callable, *args) -> Future:
    """Run ``fn(*args)`` in a forked process while this one goes on; ``.result()`` returns its value
    or raises its error. The child inherits the graph instead of receiving a pickled copy. Where
    fork is not available it runs here and now."""
    global _FORKED
    if sys.platform != "linux":
        done: Future = Future()
        done.set_result(fn(*args))
        return done
    _FORKED = (fn, args)
    gc.freeze()  # the collector would otherwise touch, and so copy, every object of the graph in the child
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(_run_forked)
        pool.shutdown(wait=False)
    finally:
        _FORKED = ()
        gc.unfreeze()
    return future
