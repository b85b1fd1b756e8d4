"""How fast kg.page's page is on a large graph (a benchmark, not a test).

Builds a scale-free graph of 5,000 nodes and 20,000 edges in the canonical
shape, writes the page, opens it in headless chromium with every network
request blocked, and prints: build/write time, page size, time until the
layout has stabilised and been drawn, and how long a click on a node and on a
link takes to update the side panel.

    python bench/page_speed.py [--nodes 5000] [--edges 20000] [--max-nodes 300]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.page import write_page

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国伟明华强军平刚杰磊涛斌勇超辉鹏晓红丽敏静燕芳娟霞秀兰海波宁志新春林峰文俊"
PLACES = "江海 滨湖 青山 东城 西岭 南港 北塘 金水 玉泉 龙华 凤台 白云 长宁 新安 丰泽".split()
TYPES = ["PERSON", "ORG", "PLACE", "PROJECT"]


def name_for(i: int, kind: str, rng: random.Random) -> str:
    place = PLACES[i % len(PLACES)]
    if kind == "PERSON":
        return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "") + str(i)
    if kind == "ORG":
        return f"{place}{rng.choice(['区委', '区政府', '科技股份有限公司', '投资集团', '发展和改革局'])}{i}"
    if kind == "PLACE":
        return f"{place}{rng.choice(['区', '镇', '街道', '新城'])}{i}"
    return f"{place}{rng.choice(['科创产业园', '智能制造基地', '综合交通枢纽'])}项目{i}"


def make_graph(nodes: int = 5000, edges: int = 20000, seed: int = 7) -> nx.Graph:
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(nodes, max(1, edges // nodes), seed=seed)
    while base.number_of_edges() < edges:
        u, v = rng.randrange(nodes), rng.randrange(nodes)
        if u != v:
            base.add_edge(u, v)
    n_articles = max(50, nodes // 2)
    articles = {f"art{i:05d}": {"title": f"{PLACES[i % len(PLACES)]}新闻：第{i}期工作动态",
                                "date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "source": f"news/{i}.txt"}
                for i in range(n_articles)}
    g = nx.Graph(articles=articles)
    keys = {}
    for i in base:
        kind = TYPES[rng.choices(range(4), weights=[4, 3, 2, 1])[0]]
        name = name_for(i, kind, rng)
        arts = sorted({f"art{rng.randrange(n_articles):05d}" for _ in range(1 + base.degree(i) // 3)})
        dates = sorted(articles[a]["date"] for a in arts)
        keys[i] = f"{kind}:{name}"
        g.add_node(keys[i], name=name, type=kind, mentions=len(arts) + base.degree(i), articles=len(arts),
                   article_ids=arts, roles=["书记"] if kind == "PERSON" and rng.random() < 0.2 else [],
                   aliases=[], byline=False, first_date=dates[0], last_date=dates[-1])
    for u, v in base.edges:
        a, b = g.nodes[keys[u]]["name"], g.nodes[keys[v]]["name"]
        arts = [f"art{rng.randrange(n_articles):05d}" for _ in range(rng.randint(1, 3))]
        evidence = [{"article": x, "title": articles[x]["title"], "date": articles[x]["date"],
                     "sentence": f"据报道，{a}与{b}就推进重点工作进行了深入交流，并达成多项合作意向。"} for x in arts]
        dates = sorted(e["date"] for e in evidence)
        g.add_edge(keys[u], keys[v], weight=rng.randint(1, 3) * len(arts) + (base.degree(u) + base.degree(v)) // 40,
                   articles=len(set(arts)), npmi=round(rng.uniform(-0.2, 1.0), 3), evidence=evidence,
                   first_date=dates[0], last_date=dates[-1])
    return g


def measure(path: Path, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors, remote = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))

        def route(r):
            if r.request.url.startswith(("file:", "data:")):
                r.continue_()
            else:
                remote.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.add_init_script("""
            window.addEventListener('DOMContentLoaded', () => {
              window.__t = {parsed: performance.now()};
              const poll = setInterval(() => { if (window.network) { clearInterval(poll);
                window.network.on('afterDrawing', () => {
                  if (window.kgReady && !window.__t.drawn) window.__t.drawn = performance.now(); }); } }, 5);
            });""")
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("() => window.kgReady === true && window.__t && window.__t.drawn", timeout=600_000)
        wall_ready = time.perf_counter() - start
        t = page.evaluate("window.__t")
        counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")

        def click_and_wait(xy, kind):
            page.evaluate("""kind => { window.__click = null; window.__panel = null;
                const panel = document.getElementById('kg-panel');
                window.addEventListener('pointerdown', () => { window.__click = performance.now(); },
                                        {capture: true, once: true});
                new MutationObserver((_, obs) => { if (panel.dataset.kind === kind) {
                    window.__panel = performance.now(); obs.disconnect(); } })
                  .observe(panel, {childList: true, attributes: true}); }""", kind)
            page.mouse.click(*xy)
            page.wait_for_function("() => window.__panel !== null", timeout=60_000)
            return page.evaluate("window.__panel - window.__click")

        box = page.locator("#kg-graph canvas").bounding_box()
        node = page.evaluate("""() => { const ids = network.body.data.nodes.getIds();
            const best = ids.reduce((a, b) => kg.data.nodes[b].wd > kg.data.nodes[a].wd ? b : a, ids[0]);
            network.moveTo({position: network.getPositions([best])[best], scale: 1.0});
            return best; }""")
        page.wait_for_timeout(300)
        xy = page.evaluate("i => network.canvasToDOM(network.getPositions([i])[i])", node)
        node_ms = click_and_wait((box["x"] + xy["x"], box["y"] + xy["y"]), "node")
        edge_xy = page.evaluate("""i => { const W = network.body.container.clientWidth, H = network.body.container.clientHeight,
                  R = network.body.container.getBoundingClientRect(),
                  onCanvas = d => document.elementFromPoint(R.left + d.x, R.top + d.y) instanceof HTMLCanvasElement;
              for (const k of network.getConnectedEdges(i)) {
              const e = network.body.edges[k];
              for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) { const d = network.canvasToDOM(e.edgeType.getPoint(t));
                if (d.x > 5 && d.y > 5 && d.x < W - 5 && d.y < H - 5 && onCanvas(d) &&
                    network.getNodeAt(d) === undefined && network.getEdgeAt(d) === k) return d; } }
              return null; }""", node)
        edge_ms = click_and_wait((box["x"] + edge_xy["x"], box["y"] + edge_xy["y"]), "edge") if edge_xy else None
        browser.close()
    return {"wall_ready": wall_ready, "parsed": t["parsed"], "drawn": t["drawn"], "counts": counts,
            "node_ms": node_ms, "edge_ms": edge_ms, "errors": errors, "remote": remote}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--edges", type=int, default=20000)
    ap.add_argument("--max-nodes", type=int, default=300)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--out", type=Path, default=None, help="where to write the page (default: a temp dir)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    graph = make_graph(args.nodes, args.edges)
    t1 = time.perf_counter()
    out = args.out or Path(tempfile.mkdtemp(prefix="kg-page-bench-")) / "graph.html"
    write_page(graph, out, max_nodes=args.max_nodes, title="kg page benchmark")
    t2 = time.perf_counter()
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges (built in {t1 - t0:.1f} s)")
    print(f"write_page(max_nodes={args.max_nodes}): {t2 - t1:.2f} s, {out.stat().st_size / 1e6:.2f} MB -> {out}")
    if not Path(args.chromium).exists():
        print(f"no chromium at {args.chromium}: browser figures skipped")
        return 0
    r = measure(out, args.chromium)
    print(f"drawn in browser: {r['counts'][0]:,} nodes, {r['counts'][1]:,} edges")
    print(f"time to stabilised + drawn: {r['drawn'] / 1000:.2f} s after navigation start "
          f"(DOM parsed at {r['parsed'] / 1000:.2f} s; wall clock incl. browser start {r['wall_ready']:.2f} s)")
    print(f"click on a node -> panel updated: {r['node_ms']:.0f} ms")
    print(f"click on a link -> panel updated: {r['edge_ms']:.0f} ms" if r["edge_ms"] is not None
          else "click on a link: no clear point found")
    if r["errors"] or r["remote"]:
        print(f"console errors: {r['errors']}; remote requests: {r['remote']}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
