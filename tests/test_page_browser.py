"""kg.page in Debian's headless chromium (Playwright), every network request blocked."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_page import (HOSTILE_ORG, HOSTILE_PERSON, XSS_CLOSE, XSS_IMG, XSS_SCRIPT,  # noqa: E402
                       check_seed_graph, make_graph, seed_graph)

from kg.page import write_page  # noqa: E402

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "output" / "screenshots"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Opened:
    """A page of the graph, loaded offline, with what it logged."""

    def __init__(self, browser, graph, path: Path, **kw):
        write_page(graph, path, **kw)
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.errors, self.dialogs, self.remote = [], [], []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.kgReady === true", timeout=30_000)
        self.ids = self.page.evaluate("Object.fromEntries(kg.data.nodes.map((n, i) => [n.n, i]))")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def js(self, expr, arg=None):
        return self.page.evaluate(expr, arg)

    def point(self, canvas_xy):
        """Page coordinates of a canvas point."""
        dom = self.js("p => network.canvasToDOM(p)", canvas_xy)
        box = self.page.locator("#kg-graph canvas").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def click_node(self, name):
        i = self.ids[name]
        self.page.mouse.click(*self.point(self.js("i => network.getPositions([i])[i]", i)))

    def edge_id(self, a, b):
        return self.js("([a, b]) => kg.data.edges.findIndex(e => (e.s === a && e.t === b) || (e.s === b && e.t === a))",
                       [self.ids[a], self.ids[b]])

    def click_edge(self, a, b):
        """A real mouse click on a point of the drawn edge that no node covers."""
        k = self.edge_id(a, b)
        xy = self.js("""k => {
            const edge = network.body.edges[k], W = network.body.container.clientWidth, H = network.body.container.clientHeight,
                  R = network.body.container.getBoundingClientRect(),
                  onCanvas = d => document.elementFromPoint(R.left + d.x, R.top + d.y) instanceof HTMLCanvasElement;
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65]) {
                const c = edge.edgeType.getPoint(t), d = network.canvasToDOM(c);
                if (d.x > 5 && d.y > 5 && d.x < W - 5 && d.y < H - 5 && onCanvas(d) &&
                    network.getNodeAt(d) === undefined && network.getEdgeAt(d) === k) return c;
            }
            return null;
        }""", k)
        assert xy is not None, f"no clear point on edge {a} — {b}"
        self.page.mouse.click(*self.point(xy))
        return k

    def search(self, text):
        box = self.page.locator("#kg-search")
        box.fill("")
        box.type(text)
        box.press("Enter")

    def selected(self):
        return self.js("network.getSelectedNodes()")

    def panel(self):
        return self.page.locator("#kg-panel").text_content()

    def assert_clean(self):
        assert self.js("window.__kg_xss") is None
        assert self.dialogs == []
        assert self.errors == []
        assert self.remote == []


@pytest.fixture
def opened(browser, tmp_path):
    pages = []

    def open_(graph=None, **kw):
        o = Opened(browser, graph if graph is not None else make_graph(), tmp_path / f"g{len(pages)}.html", **kw)
        pages.append(o)
        return o

    yield open_
    for o in pages:
        o.assert_clean()
        o.page.close()


def test_graph_draws_offline(opened):
    o = opened()
    g = make_graph()
    assert o.js("network.body.data.nodes.length") == g.number_of_nodes()
    assert o.js("network.body.data.edges.length") == g.number_of_edges()
    assert o.js("Object.keys(network.getPositions()).length") == g.number_of_nodes()
    assert o.js("network.physics.options.enabled") is False  # physics off after stabilising
    legend = o.page.locator("#kg-legend").inner_text()
    for line in ("PERSON", "ORG", "PLACE", "PROJECT"):
        assert line in legend
    assert "showing 12 of 12 nodes" in o.page.locator("#kg-status").inner_text()


def test_search_by_name_and_pinyin(opened):
    o = opened()
    yuan = o.ids["袁加伟"]
    for query in ("袁加伟", "yjw", "yuanjiawei", "YuanJia", "袁书记"):
        o.search(query)
        assert o.selected() == [yuan], query
        assert o.page.locator("#kg-panel h2").inner_text() == "袁加伟"
    o.search("jhq")
    assert o.selected() == [o.ids["江海区"]]
    o.search("芯联电")  # alias and substring of the full name
    assert o.selected() == [o.ids["深圳市芯联电股份有限公司"]]
    # The list offers matches while typing.
    o.page.locator("#kg-search").fill("")
    o.page.locator("#kg-search").type("zj")
    assert "郑建国" in o.page.locator("#kg-results").inner_text()


def test_type_toggle_hides_that_type(opened):
    o = opened()
    people = o.js("kg.data.nodes.flatMap((n, i) => n.t === 'PERSON' ? [i] : [])")
    hidden = "ids => ids.map(i => !!network.body.nodes[i].options.hidden)"
    assert not any(o.js(hidden, people))
    o.page.locator('#kg-legend input[data-type="PERSON"]').click()
    assert all(o.js(hidden, people))
    others = [i for i in o.ids.values() if i not in people]
    assert not any(o.js(hidden, others))
    assert "filtered out: 4 nodes" in o.page.locator("#kg-status").inner_text()
    o.search("yjw")  # searching a hidden type brings it back
    assert o.selected() == [o.ids["袁加伟"]] and not any(o.js(hidden, people))


def test_click_node_highlights_neighbourhood(opened):
    o = opened()
    o.click_node("袁加伟")
    assert o.selected() == [o.ids["袁加伟"]]
    text = o.panel()
    for part in ("PERSON", "区委书记", "袁书记", "江海区召开科创产业推进会", "Strongest links", "江海区", "又一科创产业园项目"):
        assert part in text, part
    assert XSS_SCRIPT + "江海区委调研" in text  # a hostile title, shown as text
    dim = o.js("kg.data.nodes.map((n, i) => network.body.data.nodes.get(i).color.background === '#e9e9e9')")
    neighbours = {"袁加伟", "江海区", "江海区委", "又一科创产业园项目", "郑建国", HOSTILE_PERSON}
    assert {name for name, i in o.ids.items() if not dim[i]} == neighbours
    box = o.page.locator("#kg-graph canvas").bounding_box()
    assert o.js("p => network.getNodeAt(p) === undefined && network.getEdgeAt(p) === undefined",
                {"x": box["width"] - 8, "y": box["height"] - 8})
    o.page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)  # empty canvas: undim
    assert o.selected() == [] and "Click a node" in o.panel()
    assert not any(o.js("kg.data.nodes.map((n, i) => network.body.data.nodes.get(i).color.background === '#e9e9e9')"))


def test_click_edge_shows_evidence(opened):
    o = opened()
    k = o.click_edge("郑建国", "深圳市芯联电股份有限公司")
    assert o.js("network.getSelectedEdges()") == [k]
    assert o.js("document.getElementById('kg-panel').dataset.kind") == "edge"
    text = o.panel()
    assert "深圳市芯联电股份有限公司董事长郑建国表示" in text
    assert "芯联电落户又一科创产业园" in text and "2024-04-18" in text
    marks = o.js("[...document.querySelectorAll('#kg-panel mark')].map(m => m.textContent)")
    assert {"郑建国", "深圳市芯联电股份有限公司", "芯联电"} <= set(marks)


def test_hostile_markup_never_runs(opened):
    o = opened()
    o.click_edge(HOSTILE_PERSON, HOSTILE_ORG)
    text = o.panel()
    assert XSS_CLOSE in text and XSS_IMG in text and "javascript:alert(1)" in text
    o.click_node(HOSTILE_ORG)
    o.click_edge("袁加伟", "江海区")
    assert XSS_SCRIPT in o.panel()
    o.click_edge("江海区", "江海区委")
    assert XSS_IMG in o.panel()
    # Hover for the tooltips (vis popups built from DOM elements).
    for name in (HOSTILE_PERSON, HOSTILE_ORG):
        i = o.ids[name]
        o.page.mouse.move(*o.point(o.js("i => network.getPositions([i])[i]", i)))
        o.page.wait_for_function("""name => { const t = document.querySelector('div.vis-tooltip');
            return t && t.style.visibility !== 'hidden' && t.textContent.includes(name); }""", arg=name)
        assert name in o.page.locator("div.vis-tooltip").inner_text()
    o.page.wait_for_timeout(300)
    assert o.js("document.querySelectorAll('img, iframe, object, embed, a[href]').length") == 0
    assert o.js("document.scripts.length") == 3
    assert o.js("window.__kg_xss") is None


def test_min_weight_slider(opened):
    o = opened()
    slider = o.page.locator("#kg-weight")
    o.js("""() => { const s = document.getElementById('kg-weight');
                   s.value = String(kg.data.edges.map(e => e.w).filter((w, i, a) => a.indexOf(w) === i).sort((a, b) => a - b).indexOf(5));
                   s.dispatchEvent(new Event('input')); }""")
    assert o.page.locator("#kg-weight-value").inner_text() == "5"
    hidden = o.js("kg.data.edges.map((e, i) => [e.w, !!network.body.edges[i].options.hidden])")
    assert all(h == (w < 5) for w, h in hidden)
    assert slider.is_enabled()


def test_date_filter(opened):
    o = opened()
    assert o.page.locator("#kg-dates-wrap").is_visible()
    dates = o.js("kg.data.dates")
    o.js("""n => { const f = document.getElementById('kg-date-from'); f.value = String(n);
                   f.dispatchEvent(new Event('input')); }""", dates.index("2024-05-09"))
    shown = o.js("Object.fromEntries(kg.data.nodes.map((n, i) => [n.n, !network.body.nodes[i].options.hidden]))")
    assert shown["郑建国"] and shown["袁加伟"] and shown["李晓明"]  # dated ranges overlap 2024-05-09..2024-06-21
    assert not shown["孤立的单位"]  # undated items hide while the range is narrowed
    assert o.js("k => !!network.body.edges[k].options.hidden", o.edge_id("袁加伟", "江海区委"))  # 2024-03-02 only
    assert not o.js("k => !!network.body.edges[k].options.hidden", o.edge_id("郑建国", "深圳市芯联电股份有限公司"))
    assert "2024-05-09 – 2024-06-21" in o.page.locator("#kg-date-value").inner_text()
    o.js("""n => { const f = document.getElementById('kg-date-from'); f.value = String(n);
                   f.dispatchEvent(new Event('input')); }""", dates.index("2024-06-21"))
    assert o.js("i => !!network.body.nodes[i].options.hidden", o.ids["李晓明"])


def test_seed_graph_screenshot(opened, tmp_path):
    graph = seed_graph()
    check_seed_graph(graph, tmp_path)
    o = opened(graph, title="kg seed graph")
    assert o.js("network.body.data.nodes.length") == min(300, graph.number_of_nodes())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    o.js("network.fit()")
    o.page.wait_for_timeout(300)
    o.page.screenshot(path=str(SCREENSHOTS / "seed_graph.png"))
    o.search("yjw")
    assert o.selected() == [o.ids["袁加伟"]]
    o.page.screenshot(path=str(SCREENSHOTS / "seed_graph_selected.png"))
    assert (SCREENSHOTS / "seed_graph.png").stat().st_size > 10_000


def test_hostile_article_through_the_whole_build(browser, tmp_path):
    """An article whose text carries markup goes through kg.build into the page and stays inert."""
    import json

    import kg

    src = tmp_path / "hostile.jsonl"
    text = ("区委书记袁加伟<script>window.__kg_xss=1</script>在江海区调研，"
            "深圳市芯联电股份有限公司董事长郑建国<img src=x onerror='window.__kg_xss=2'>陪同。"
            "javascript:window.__kg_xss=3")
    src.write_text(json.dumps({"id": "x1", "title": "<b onmouseover=alert(1)>标题</b>", "text": text},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    graph = kg.build([src]).graph
    path = write_page(graph, tmp_path / "graph.html")
    page = browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else route.abort())
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgReady === true")
    for i in page.evaluate("network.body.data.nodes.getIds()"):
        page.evaluate("i => { network.selectNodes([i]); network.emit('click', {nodes: [i], edges: []}); }", i)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__kg_xss") is None and not dialogs and not errors
    page.close()
