"""The ``kg`` command line: it only wires the modules together.

    kg build seeds/ --out output/
    kg neighbors output/ 袁加伟
    kg relation output/ 郑建国 深圳市芯联电股份有限公司
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import List, Optional

import networkx as nx

from .link import WINDOWS


class CLIError(Exception):
    pass


def _warn(message: str) -> None:
    print(f"kg: warning: {message}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .build import MARK, check_options, link, mark_outputs, outputs_current, update

    store = None if args.no_store else args.store or Path(args.out) / "kg.sqlite"
    types = [t.strip().upper() for t in args.types.split(",") if t.strip()] if args.types else None
    graph_options = dict(window=args.window, min_weight=args.min_weight, include_bylines=args.include_bylines,
                         types=types)
    check_options(jobs=args.jobs, since=args.since, until=args.until, **graph_options)
    corpus = update(args.sources, model=args.model, patterns=args.patterns, store=store, since=args.since,
                    until=args.until, jobs=args.jobs, progress=not args.quiet, on_warning=_warn)
    kept = f", {len(corpus.rows) - corpus.extracted} already in {store}" if store else ""
    done = f"  {corpus.extracted} extracted{kept}"
    key = corpus.fingerprint(max_nodes=args.max_nodes, **graph_options) if store else None
    if key and outputs_current(args.out, key):
        print(f"{len(corpus.rows)} articles, nothing changed: {args.out} is up to date")
        print(done)
        return 0
    (Path(args.out) / MARK).unlink(missing_ok=True)
    kgraph = link(corpus, **graph_options)
    written = kgraph.write_all(args.out, max_nodes=args.max_nodes)
    if key:
        mark_outputs(args.out, key, written)
    g = kgraph.graph
    types = Counter(t for _, t in g.nodes(data="type"))
    counts = ", ".join(f"{t} {types[t]}" for t in sorted(types))
    print(f"{len(g.graph['articles'])} articles, {g.number_of_nodes()} entities ({counts}), {g.number_of_edges()} links")
    print(done)
    for path in written:
        print(f"  {path}")
    return 0


def _load(out_dir: str):
    from .export import read_json
    from .query import KnowledgeGraph

    path = Path(out_dir)
    path = path / "graph.json" if path.is_dir() else path
    if not path.is_file():
        raise CLIError(f"{path}: no graph here; run `kg build SOURCES --out {out_dir}` first")
    try:
        return KnowledgeGraph(read_json(path))
    except (ValueError, KeyError, nx.NetworkXError) as err:
        raise CLIError(f"{path}: not a kg graph.json ({err})") from None


def _print_table(table) -> None:
    import pandas as pd

    with pd.option_context("display.max_rows", 200, "display.max_colwidth", 60, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        print(table.to_string(index=False) if len(table) else "(none)")


def cmd_neighbors(args: argparse.Namespace) -> int:
    _print_table(_load(args.graph).neighbors(args.name, type=args.type, limit=args.limit))
    return 0


def cmd_relation(args: argparse.Namespace) -> int:
    rel = _load(args.graph).relation(args.a, args.b)
    print(f"{rel['source']} — {rel['target']}: weight {rel['weight']}, articles {rel['articles']}, npmi {rel['npmi']}")
    for ev in rel["evidence"]:
        print(f"  [{ev['title']}] {ev['sentence']}")
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    try:
        steps = _load(args.graph).path(args.a, args.b)
    except nx.NetworkXNoPath:
        raise CLIError(f"no path between {args.a} and {args.b}") from None
    for step in steps:
        print(f"{step['source']} — {step['target']} (weight {step['weight']}): {step['evidence']}")
    return 0


def cmd_top(args: argparse.Namespace) -> int:
    _print_table(_load(args.graph).top(by=args.by, n=args.n, type=args.type))
    return 0


def cmd_communities(args: argparse.Namespace) -> int:
    for i, group in enumerate(_load(args.graph).communities()[: args.n], 1):
        print(f"{i}. ({len(group)}) " + "、".join(k.split(":", 1)[1] for k in group[:15]))
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese news.")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract entities from articles and write the graph")
    b.add_argument("sources", nargs="+", help=".txt files, folders, .jsonl or .csv with a 'text' column")
    b.add_argument("--out", required=True, help="output folder (graph.html, graph.graphml, graph.json, CSV)")
    b.add_argument("--model", help="a spaCy pipeline name or path instead of kg's own (labels are mapped)")
    b.add_argument("--window", choices=WINDOWS, default="sentence", help="where co-occurrence counts (default: sentence)")
    b.add_argument("--min-weight", type=int, default=1, help="drop links seen in fewer windows (default: 1)")
    b.add_argument("--include-bylines", action="store_true", help="link reporters named in bylines too")
    b.add_argument("--patterns", help="EntityRuler JSONL with your own names, which win over the model")
    b.add_argument("--max-nodes", type=int, default=300, help="nodes shown on the page, by weighted degree (default: 300)")
    b.add_argument("--jobs", type=int, help="processes for extraction (default: all cores)")
    kept = b.add_mutually_exclusive_group()
    kept.add_argument("--store", help="SQLite file keeping extractions between builds, so only new articles "
                      "are extracted (default: OUT/kg.sqlite)")
    kept.add_argument("--no-store", action="store_true", help="keep no store: extract everything, in memory")
    b.add_argument("--since", metavar="YYYY-MM-DD", help="only articles dated on or after this day")
    b.add_argument("--until", metavar="YYYY-MM-DD", help="only articles dated on or before this day")
    b.add_argument("--types", metavar="T1,T2", help="only entities of these types (PERSON, ORG, PLACE, PROJECT)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    def graph_arg(p):
        p.add_argument("graph", help="a folder written by `kg build` (or its graph.json)")

    n = sub.add_parser("neighbors", help="entities linked to one, strongest first")
    graph_arg(n)
    n.add_argument("name")
    n.add_argument("--type", choices=["PERSON", "ORG", "PLACE", "PROJECT"])
    n.add_argument("--limit", type=int, default=20)
    n.set_defaults(func=cmd_neighbors)

    r = sub.add_parser("relation", help="how two entities are linked, with evidence")
    graph_arg(r)
    r.add_argument("a")
    r.add_argument("b")
    r.set_defaults(func=cmd_relation)

    p = sub.add_parser("path", help="the shortest chain of links between two entities")
    graph_arg(p)
    p.add_argument("a")
    p.add_argument("b")
    p.set_defaults(func=cmd_path)

    t = sub.add_parser("top", help="the most central entities")
    graph_arg(t)
    t.add_argument("--by", choices=["degree", "pagerank", "betweenness"], default="degree")
    t.add_argument("-n", type=int, default=20)
    t.add_argument("--type", choices=["PERSON", "ORG", "PLACE", "PROJECT"])
    t.set_defaults(func=cmd_top)

    c = sub.add_parser("communities", help="groups of densely linked entities")
    graph_arg(c)
    c.add_argument("-n", type=int, default=10)
    c.set_defaults(func=cmd_communities)
    return ap


def main(argv: Optional[List[str]] = None) -> int:
    from .pipeline import PipelineError
    from .query import UnknownEntity
    from .read import ReadError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CLIError, ReadError, PipelineError, UnknownEntity, ValueError, OSError) as err:
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"kg: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
