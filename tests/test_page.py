"""kg.page without a browser: one offline file, inert hostile text, graph untouched."""
from __future__ import annotations

import functools

import copy
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.page import page_html, write_page

XSS_SCRIPT = "<script>window.__kg_xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__kg_xss=1">'
XSS_CLOSE = "</script><script>window.__kg_xss=1</script>"
HOSTILE_PERSON = "王</script>五"
HOSTILE_ORG = XSS_IMG + "公司"
HOSTILE_PLACE = "江\x00海\x07新\x1b城\"'"  # control characters and quotes
HOSTILE_PROJECT = "javascript:alert(1)"


def _node(g, ntype, name, *, mentions, arts, roles=(), aliases=(), byline=False):
    dates = sorted(g.graph["articles"][a]["date"] for a in arts if g.graph["articles"][a]["date"])
    g.add_node(f"{ntype}:{name}", name=name, type=ntype, mentions=mentions, articles=len(arts),
               article_ids=list(arts), roles=list(roles), aliases=list(aliases), byline=byline,
               first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None)
    return f"{ntype}:{name}"


def _edge(g, u, v, weight, sentences, npmi=0.4):
    arts = g.graph["articles"]
    evidence = [{"article": a, "title": arts[a]["title"], "sentence": s, "date": arts[a]["date"]}
                for a, s in sentences][:3]
    dates = sorted(e["date"] for e in evidence if e["date"])
    g.add_edge(u, v, weight=weight, articles=len({a for a, _ in sentences}), npmi=npmi, evidence=evidence,
               first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None)


def make_graph() -> nx.Graph:
    """A small canonical graph like kg.build makes, with hostile article text in it."""
    g = nx.Graph()
    g.graph["articles"] = {
        "a1": {"title": "江海区召开科创产业推进会", "date": "2024-03-02", "source": "seeds/001.txt"},
        "a2": {"title": "芯联电落户又一科创产业园", "date": "2024-04-18", "source": "seeds/002.txt"},
        "a3": {"title": XSS_SCRIPT + "江海区委调研", "date": "2024-05-09", "source": "seeds/003.txt"},
        "a4": {"title": "“双招双引”\u2028工作纪实", "date": "2024-06-21", "source": "seeds/004.txt"},
        "a5": {"title": "无日期的通讯", "date": None, "source": "seeds/005.txt"},
    }
    yuan = _node(g, "PERSON", "袁加伟", mentions=14, arts=["a1", "a2", "a3", "a4"], roles=["区委书记"],
                 aliases=["袁书记"])
    zheng = _node(g, "PERSON", "郑建国", mentions=7, arts=["a2", "a4"], roles=["董事长"])
    reporter = _node(g, "PERSON", "李晓明", mentions=2, arts=["a1", "a3"], byline=True)
    place = _node(g, "PLACE", "江海区", mentions=20, arts=["a1", "a2", "a3", "a4", "a5"])
    party = _node(g, "ORG", "江海区委", mentions=6, arts=["a1", "a3"])
    firm = _node(g, "ORG", "深圳市芯联电股份有限公司", mentions=9, arts=["a2", "a4"], aliases=["芯联电"])
    park = _node(g, "PROJECT", "又一科创产业园项目", mentions=8, arts=["a1", "a2", "a4"])
    h_person = _node(g, "PERSON", HOSTILE_PERSON, mentions=2, arts=["a3"], roles=[XSS_CLOSE])
    h_org = _node(g, "ORG", HOSTILE_ORG, mentions=2, arts=["a3"], aliases=[HOSTILE_PROJECT])
    h_place = _node(g, "PLACE", HOSTILE_PLACE, mentions=1, arts=["a5"])
    h_project = _node(g, "PROJECT", HOSTILE_PROJECT, mentions=1, arts=["a3"])
    _node(g, "ORG", "孤立的单位", mentions=1, arts=["a5"])

    _edge(g, yuan, place, 9, [("a1", "区委书记袁加伟在江海区调研科创产业。"),
                              ("a3", "袁加伟强调，江海区要" + XSS_SCRIPT + "抓好项目。")])
    _edge(g, yuan, party, 5, [("a1", "江海区委书记袁加伟主持召开会议。")])
    _edge(g, yuan, park, 6, [("a1", "袁加伟到又一科创产业园项目现场办公。"),
                             ("a2", "又一科创产业园项目由袁加伟牵头推进。")])
    _edge(g, zheng, firm, 8, [("a2", "深圳市芯联电股份有限公司董事长郑建国表示，芯联电将扩大投资。"),
                              ("a4", "郑建国介绍了芯联电的新产线。")], npmi=0.81)
    _edge(g, firm, park, 7, [("a2", "芯联电正式落户又一科创产业园项目。")])
    _edge(g, yuan, zheng, 3, [("a2", "袁加伟会见郑建国一行。")])
    _edge(g, place, park, 5, [("a4", "又一科创产业园项目位于江海区。")])
    _edge(g, place, party, 4, [("a3", "江海区委" + XSS_IMG + "部署工作。")])
    _edge(g, reporter, place, 1, [("a1", "记者李晓明报道：江海区召开推进会。")])
    _edge(g, h_person, h_org, 2, [("a3", XSS_CLOSE + " \x01\x1f 王五与" + HOSTILE_ORG + "签约 " + HOSTILE_PROJECT)])
    _edge(g, h_org, place, 2, [("a3", "位于江海区的" + HOSTILE_ORG + "。\u2029")])
    _edge(g, h_project, h_place, 1, [("a5", HOSTILE_PROJECT + " 与 " + HOSTILE_PLACE)])
    _edge(g, h_person, yuan, 1, [])
    return g


def big_graph(n: int = 60, m: int = 2, seed: int = 1) -> nx.Graph:
    """A scale-free graph in the canonical shape, for truncation and speed."""
    base = nx.barabasi_albert_graph(n, m, seed=seed)
    types = ["PERSON", "ORG", "PLACE", "PROJECT"]
    g = nx.Graph(articles={f"b{i}": {"title": f"新闻{i}", "date": f"2024-01-{i % 28 + 1:02d}", "source": "x"}
                           for i in range(50)})
    key = {i: f"{types[i % 4]}:节点{i}" for i in base}
    for i in base:
        g.add_node(key[i], name=f"节点{i}", type=types[i % 4], mentions=1 + base.degree(i), articles=1,
                   article_ids=[f"b{i % 50}"], roles=[], aliases=[], byline=False,
                   first_date="2024-01-01", last_date="2024-01-28")
    for u, v in base.edges:
        g.add_edge(key[u], key[v], weight=1 + (u * v) % 7, articles=1, npmi=0.1,
                   evidence=[{"article": f"b{u % 50}", "title": f"新闻{u % 50}", "sentence": f"节点{u}与节点{v}。",
                              "date": None}], first_date=None, last_date=None)
    return g


def embedded(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert block, "no embedded graph data"
    return json.loads(block.group(1))


def snapshot(g: nx.Graph):
    return (copy.deepcopy(dict(g.nodes(data=True))),
            copy.deepcopy({tuple(sorted((u, v))): d for u, v, d in g.edges(data=True)}),
            copy.deepcopy(g.graph))


def check_page(graph: nx.Graph, tmp_path, *, max_nodes: int = 300) -> str:
    """Everything a page must be, whatever graph it draws; returns the HTML."""
    before = snapshot(graph)
    out = write_page(graph, tmp_path / "graph.html", max_nodes=max_nodes, title="江海区 <b>kg</b>")
    assert snapshot(graph) == before, "write_page changed the canonical graph"
    raw = out.read_bytes()
    html = raw.decode("utf-8")  # strict: valid UTF-8
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html[:300]
    # No resource loads of any kind (vis-network's licence comments name URLs; they load nothing).
    assert not re.search(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*[\"']?\s*(?:https?:)?//", html, re.I)
    assert "<link" not in html.lower() and "<iframe" not in html.lower()
    # Three script elements and nothing inside them that could end one early.
    assert len(re.findall(r"</script", html, re.I)) == 3 and "<!--" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Characters invalid in HTML are gone, and the title is escaped.
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", html)
    assert "<b>kg</b>" not in html and "江海区 &lt;b&gt;kg&lt;/b&gt;" in html
    data = embedded(html)
    assert data["total_nodes"] == graph.number_of_nodes()
    assert data["shown_nodes"] == min(max_nodes, graph.number_of_nodes()) == len(data["nodes"])
    assert data["hidden_nodes"] == graph.number_of_nodes() - data["shown_nodes"]
    return html


def test_page_is_one_offline_file(tmp_path):
    html = check_page(make_graph(), tmp_path)
    assert "window.network = network" in html
    assert "vis-network" in html  # the vis build from pyvis is inlined
    data = embedded(html)
    names = {n["n"] for n in data["nodes"]}
    assert {"袁加伟", "江海区", "江海区委", "深圳市芯联电股份有限公司", "郑建国", "又一科创产业园项目"} <= names
    assert [t["t"] for t in data["types"]] == ["PERSON", "ORG", "PLACE", "PROJECT"]
    assert {t["t"]: t["n"] for t in data["types"]} == {"PERSON": 4, "ORG": 4, "PLACE": 2, "PROJECT": 2}


def test_hostile_text_is_inert_but_kept(tmp_path):
    html = check_page(make_graph(), tmp_path)
    for bad in ("<script>window.__kg_xss", "window.__kg_xss=1</script>", "<img src=x", 'onerror="',
                "</script><script>", "\u2028", "\u2029", "王</script>五"):
        assert bad not in html, bad
    # JSON.parse gives the text back exactly (control characters dropped).
    data = embedded(html)
    names = {n["n"] for n in data["nodes"]}
    assert {HOSTILE_PERSON, HOSTILE_ORG, HOSTILE_PROJECT, "江海新城\"'"} <= names
    sentences = [ev["x"] for e in data["edges"] for ev in e["ev"]]
    assert any(XSS_SCRIPT in s for s in sentences) and any(XSS_IMG in s for s in sentences)
    assert any(s.startswith(XSS_CLOSE + "  王五") for s in sentences)
    titles = [a[1] for a in data["articles"]]
    assert XSS_SCRIPT + "江海区委调研" in titles and "“双招双引”\u2028工作纪实" in titles


def test_pinyin_embedded_per_node(tmp_path):
    data = embedded(page_html(make_graph()))
    by_name = {n["n"]: n for n in data["nodes"]}
    assert (by_name["袁加伟"]["py"], by_name["袁加伟"]["pi"]) == ("yuanjiawei", "yjw")
    assert by_name["江海区"]["pi"] == "jhq"
    assert by_name["袁加伟"]["r"] == ["区委书记"] and by_name["袁加伟"]["al"] == ["袁书记"]


def test_edges_carry_evidence_and_titles():
    data = embedded(page_html(make_graph()))
    names = [n["n"] for n in data["nodes"]]
    edge = next(e for e in data["edges"] if {names[e["s"]], names[e["t"]]} == {"郑建国", "深圳市芯联电股份有限公司"})
    assert edge["w"] == 8 and edge["a"] == 2 and edge["p"] == 0.81
    assert [data["articles"][ev["ar"]][1] for ev in edge["ev"]] == ["芯联电落户又一科创产业园", "“双招双引”\u2028工作纪实"]
    assert (edge["d0"], edge["d1"]) == ("2024-04-18", "2024-06-21")
    assert data["dates"][0] == "2024-03-02" and data["dates"][-1] == "2024-06-21"


def test_max_nodes_keeps_top_weighted_degree(tmp_path):
    g = big_graph(60)
    html = check_page(g, tmp_path, max_nodes=10)
    data = embedded(html)
    wdeg = dict(g.degree(weight="weight"))
    top = sorted(wdeg.values(), reverse=True)[:10]
    assert sorted((n["wd"] for n in data["nodes"]), reverse=True) == top
    assert data["hidden_nodes"] == 50 and "showing 10 of 60 nodes (50 hidden" in html
    shown = {f'{n["t"]}:{n["n"]}' for n in data["nodes"]}
    assert data["shown_edges"] == len(data["edges"]) == g.subgraph(shown).number_of_edges()


def test_no_hidden_count_when_everything_fits():
    data = embedded(html := page_html(make_graph(), max_nodes=1000))
    assert data["hidden_nodes"] == 0 and "hidden:" not in html.split('id="kg-status">')[1][:200]


def test_empty_graph(tmp_path):
    data = embedded(check_page(nx.Graph(), tmp_path))
    assert data["nodes"] == [] and data["edges"] == [] and data["dates"] == []


def test_atomic_write_leaves_no_temp_files(tmp_path, monkeypatch):
    target = tmp_path / "out" / "graph.html"
    assert write_page(make_graph(), target) == target
    write_page(make_graph(), target, title="again")  # overwrite in place
    assert os.listdir(target.parent) == ["graph.html"]
    assert "<title>again</title>" in target.read_text(encoding="utf-8")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_page(make_graph(), target, title="lost")
    assert os.listdir(target.parent) == ["graph.html"]
    assert "<title>again</title>" in target.read_text(encoding="utf-8")


def check_seed_graph(graph: nx.Graph, tmp_path) -> None:
    """The seed-graph check; takes any canonical graph."""
    html = check_page(graph, tmp_path)
    data = embedded(html)
    assert data["nodes"] and data["edges"]
    assert any(n["n"] == "袁加伟" and n["t"] == "PERSON" for n in data["nodes"])


@functools.lru_cache(maxsize=1)
def seed_graph() -> nx.Graph:
    """The real graph of the sample page in seeds/, as ``kg build seeds/`` makes it."""
    import kg

    return kg.build([Path(__file__).resolve().parents[1] / "seeds"]).graph


def test_seed_graph_page(tmp_path):
    check_seed_graph(seed_graph(), tmp_path)


def test_sparse_attributes_and_unknown_type(tmp_path):
    g = nx.Graph(articles={"x1": {"title": "标题", "date": "2023-09-01", "source": "s"}})
    g.add_node("PERSON:张三", name="张三", type="PERSON", article_ids=["x1"])  # dates from its article
    g.add_node("EVENT:开工仪式", type="EVENT")  # a type with no colour of its own
    g.add_node("bare")  # no attributes at all
    g.add_edge("PERSON:张三", "EVENT:开工仪式", evidence=[{"article": "x1", "sentence": "张三出席开工仪式。"}])
    g.add_edge("PERSON:张三", "bare")
    data = embedded(check_page(g, tmp_path))
    by_name = {n["n"]: n for n in data["nodes"]}
    assert by_name["张三"]["d0"] == by_name["张三"]["d1"] == "2023-09-01"
    assert by_name["开工仪式"]["t"] == "EVENT" and by_name["bare"]["t"] == "OTHER"
    assert [t["t"] for t in data["types"]] == ["PERSON", "EVENT", "OTHER"]
    assert data["types"][1]["c"] == "#7f7f7f"
    edge = next(e for e in data["edges"] if e["ev"])
    assert (edge["d0"], edge["ev"][0]["x"], data["articles"][edge["ev"][0]["ar"]][1]) == (
        "2023-09-01", "张三出席开工仪式。", "标题")


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        page_html(make_graph(), 10)  # type: ignore[misc]
    with pytest.raises(TypeError):
        write_page(make_graph(), "x.html", 10)  # type: ignore[misc]
