"""One self-contained, offline HTML page that draws a knowledge graph.

The page uses the vis-network build that ships inside pyvis (read from pyvis's
package directory and inlined), with kg's own template, CSS and JS from
``kg/static/``; it loads nothing from the network.  The graph is embedded as
JSON in a ``<script type="application/json">`` block with ``<``, ``>``, ``&``
and U+2028/2029 escaped, and the page script puts every name and sentence into
the DOM as text, so article text cannot inject markup.

    >>> from kg.page import write_page
    >>> write_page(graph, "out/graph.html", max_nodes=300, title="江海区")  # doctest: +SKIP
    PosixPath('out/graph.html')
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

from .export import atomic_path

__all__ = ["page_html", "write_page", "TYPE_COLOURS"]

TYPE_COLOURS = {
    "PERSON": "#d62728",
    "ORG": "#1f77b4",
    "PLACE": "#2ca02c",
    "PROJECT": "#ff7f0e",
}
OTHER_COLOUR = "#7f7f7f"
MAX_NODE_ARTICLES = 15  # article titles embedded per node (most recent first)
MAX_SENTENCE = 600  # characters kept of an evidence sentence

# C0/C1 controls (tab/newline/CR become spaces), lone surrogates, noncharacters.
_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(p | 0xFFFE) + chr(p | 0xFFFF) for p in range(0, 0x110000, 0x10000))
    + "]"
)
_SPACE = re.compile(r"[\t\n\r]+")


def _clean(value, limit: int | None = None) -> str:
    """Text safe to embed in HTML: no control or non-characters, bounded length."""
    text = _BAD.sub("", _SPACE.sub(" ", "" if value is None else str(value)))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _date(value) -> str | None:
    text = _clean(value)[:10]
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _pinyin(name: str) -> tuple[str, str]:
    """Full pinyin and initials, lower case, no spaces: 袁加伟 -> yuanjiawei, yjw."""
    from pypinyin import lazy_pinyin

    full, initials = [], []
    for part in lazy_pinyin(name):
        part = re.sub(r"[^0-9a-z]", "", part.lower())
        if part:
            full.append(part)
            initials.append(part if part.isdigit() else part[0])
    return "".join(full), "".join(initials)


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return (resources.files("kg") / "static" / name).read_text(encoding="utf-8")


def _guard(text: str) -> str:
    """Stop inlined JS/CSS from closing its element (``</script`` -> ``<\\/script``)."""
    return re.sub(r"</(?=(script|style)\b)", r"<\\/", text, flags=re.IGNORECASE)


@lru_cache(maxsize=None)
def _vis_js() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    # Nothing in a script element may close it early; its only control
    # characters sit in string literals, where an escape means the same.
    text = _guard(path.read_text(encoding="utf-8"))
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _json_for_html(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _html_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _type(key, attrs) -> str:
    key = str(key)
    return _clean(attrs.get("type") or (key.partition(":")[0] if ":" in key else "") or "OTHER", 40)


def _top_nodes(graph: nx.Graph, max_nodes: int) -> tuple[list, dict]:
    """The max_nodes nodes with the largest weighted degree (ties: mentions, key)."""
    wdeg = dict(graph.degree(weight="weight"))
    order = sorted(graph.nodes, key=lambda n: (-wdeg[n], -_int(graph.nodes[n].get("mentions")), str(n)))
    return order[: max(0, int(max_nodes))], wdeg


def _graph_data(graph: nx.Graph, max_nodes: int, title: str) -> dict:
    shown, wdeg = _top_nodes(graph, max_nodes)
    index = {key: i for i, key in enumerate(shown)}
    source_articles = graph.graph.get("articles") or {}
    articles: list[list] = []
    article_index: dict[str, int] = {}

    def article(aid, title=None, date=None) -> int:
        aid = _clean(aid)
        if aid not in article_index:
            info = source_articles.get(aid) or {}
            article_index[aid] = len(articles)
            articles.append([aid, _clean(info.get("title") or title, 300),
                             _date(info.get("date") or date), _clean(info.get("source"), 200)])
        return article_index[aid]

    max_mentions = max((_int(graph.nodes[k].get("mentions")) for k in shown), default=1) or 1
    nodes, types, dates = [], {}, set()
    for key in shown:
        attrs = graph.nodes[key]
        name = _clean(attrs.get("name") or str(key).partition(":")[2] or str(key), 200)
        ntype = _type(key, attrs)
        full, initials = _pinyin(name)
        aids = [_clean(a) for a in (attrs.get("article_ids") or [])]
        adates = {a: _date((source_articles.get(a) or {}).get("date")) for a in aids}
        aids.sort(key=lambda a: adates[a] or "", reverse=True)  # latest first
        known = sorted(d for d in adates.values() if d)
        d0 = _date(attrs.get("first_date")) or (known[0] if known else None)
        d1 = _date(attrs.get("last_date")) or (known[-1] if known else None)
        dates.update(d for d in (d0, d1) if d)
        mentions = _int(attrs.get("mentions"))
        types.setdefault(ntype, 0)
        types[ntype] += 1
        nodes.append({
            "n": name, "l": name if len(name) <= 24 else name[:23] + "…", "t": ntype,
            "m": mentions, "a": _int(attrs.get("articles")),
            "r": [_clean(r, 80) for r in (attrs.get("roles") or [])][:10],
            "al": [a for a in dict.fromkeys(_clean(a, 80) for a in attrs.get("aliases") or []) if a and a != name][:10],
            "b": bool(attrs.get("byline")), "d0": d0, "d1": d1,
            "py": full, "pi": initials, "ar": [article(a) for a in aids[:MAX_NODE_ARTICLES]],
            "wd": wdeg[key], "sz": round(10 + 30 * math.sqrt(max(mentions, 0) / max_mentions), 1),
        })

    edges = []
    kept = [(u, v, d) for u, v, d in graph.edges(shown, data=True) if u in index and v in index]
    max_weight = max((_int(d.get("weight")) for _, _, d in kept), default=1) or 1
    for u, v, attrs in kept:
        weight = _int(attrs.get("weight"))
        evidence = []
        for ev in (attrs.get("evidence") or [])[:3]:
            if not isinstance(ev, dict):
                continue
            aid = ev.get("article")
            evidence.append({
                "x": _clean(ev.get("sentence"), MAX_SENTENCE),
                "ar": article(aid, ev.get("title"), ev.get("date")) if aid is not None else None,
                "ti": _clean(ev.get("title"), 300), "d": _date(ev.get("date")),
            })
        known = sorted(e["d"] or articles[e["ar"]][2] for e in evidence
                       if e["d"] or (e["ar"] is not None and articles[e["ar"]][2]))
        d0 = _date(attrs.get("first_date")) or (known[0] if known else None)
        d1 = _date(attrs.get("last_date")) or (known[-1] if known else None)
        dates.update(d for d in (d0, d1) if d)
        npmi = attrs.get("npmi")
        edges.append({
            "s": index[u], "t": index[v], "w": weight, "a": _int(attrs.get("articles")),
            "p": round(float(npmi), 3) if isinstance(npmi, (int, float)) and math.isfinite(npmi) else None,
            "d0": d0, "d1": d1, "ev": evidence,
            "wi": round(1 + 7 * math.sqrt(max(weight, 0) / max_weight), 2),
        })
    edges.sort(key=lambda e: -e["w"])

    all_types: dict[str, int] = {}
    for key, attrs in graph.nodes(data=True):
        t = _type(key, attrs)
        all_types[t] = all_types.get(t, 0) + 1
    ordered = [t for t in TYPE_COLOURS if t in all_types] + sorted(t for t in all_types if t not in TYPE_COLOURS)
    return {
        "title": _clean(title, 200),
        "total_nodes": graph.number_of_nodes(), "total_edges": graph.number_of_edges(),
        "shown_nodes": len(nodes), "hidden_nodes": graph.number_of_nodes() - len(nodes),
        "shown_edges": len(edges),
        "types": [{"t": t, "c": TYPE_COLOURS.get(t, OTHER_COLOUR), "n": types.get(t, 0), "all": all_types[t]}
                  for t in ordered],
        "dates": sorted(dates),
        "nodes": nodes, "edges": edges, "articles": articles,
    }


def page_html(graph: nx.Graph, *, max_nodes: int = 300, title: str = "kg") -> str:
    """The page as a string; the graph is read, never changed.

    Shows the ``max_nodes`` nodes of largest weighted degree and says how many
    it hides.

        >>> html = page_html(graph, max_nodes=100, title="江海区")  # doctest: +SKIP
        >>> html.startswith("<!DOCTYPE html>")  # doctest: +SKIP
        True
    """
    data = _graph_data(graph, max_nodes, title)
    vis_js, app_js = _vis_js(), _guard(_asset("page.js"))
    # Only these two scripts may run: no inline handlers, no remote loads.
    csp = ("default-src 'none'; script-src " + " ".join(_sha256(s) for s in (vis_js, app_js))
           + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    status = f"showing {data['shown_nodes']:,} of {data['total_nodes']:,} nodes"
    if data["hidden_nodes"]:
        status += f" ({data['hidden_nodes']:,} hidden: smaller weighted degree)"
    parts = {
        "TITLE": _html_escape(data["title"]),
        "CSP": csp,
        "STATUS": _html_escape(status),
        "CSS": _guard(_asset("page.css")),
        "VIS_JS": vis_js,
        "DATA": _json_for_html(data),
        "APP_JS": app_js,
    }
    # One pass, so nothing inserted is itself scanned for placeholders.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))


def write_page(graph: nx.Graph, path, *, max_nodes: int = 300, title: str = "kg") -> Path:
    """Write the page to ``path`` (UTF-8, atomically) and return the path.

        >>> write_page(graph, "out/graph.html", max_nodes=300, title="江海区")  # doctest: +SKIP
        PosixPath('out/graph.html')
    """
    payload = page_html(graph, max_nodes=max_nodes, title=title).encode("utf-8")
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
    return Path(path)
