"""Linking, querying and exporting: synthetic extractions for the rules, the seed page for the whole job."""
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

import kg
from kg.export import read_json, scalar_graph, write_graphml, write_json
from kg.extract import Extraction, Mention, normalize_name
from kg.link import build_graph
from kg.query import KnowledgeGraph, UnknownEntity
from kg.read import Article


def _extraction(aid, sentences, mentions, *, paragraphs=None, bylines=(), date=None):
    """mentions: (sentence index, name, type[, role[, byline]])"""
    article = Article(id=aid, title=f"标题{aid}", paragraphs=tuple(sentences), date=date, bylines=bylines)
    paras = paragraphs or list(range(len(sentences)))
    ms = []
    for sent, name, type_, *rest in mentions:
        role = rest[0] if rest else None
        byline = rest[1] if len(rest) > 1 else False
        ms.append(Mention(aid, paras[sent], sent, 0, len(name), name, type_, name, role, byline))
    return Extraction(article, tuple(sentences), tuple(paras), tuple(ms))


@pytest.fixture
def two_articles():
    a = _extraction("a1", ["甲乙在江海区。", "丙来了。", "甲又来了。"],
                    [(0, "甲乙", "PERSON", "区长"), (0, "江海区", "PLACE"), (1, "丙丙", "PERSON"),
                     (2, "甲乙", "PERSON"), (0, "记者甲", "PERSON", "记者", True)],
                    paragraphs=[0, 0, 1], date="2023-01-04")
    b = _extraction("a2", ["丁丁和江海区。"], [(0, "丁丁", "ORG"), (0, "江海区", "PLACE")], date="2023-01-05")
    return [a, b]


def test_sentence_window_counts_windows_and_keeps_evidence(two_articles):
    g = build_graph(two_articles)
    edge = g.edges["PERSON:甲乙", "PLACE:江海区"]
    assert edge["weight"] == 1 and edge["articles"] == 1
    assert edge["evidence"] == [{"article": "a1", "title": "标题a1", "sentence": "甲乙在江海区。", "date": "2023-01-04"}]
    assert not g.has_edge("PERSON:甲乙", "PERSON:丙丙")
    assert g.nodes["PERSON:甲乙"]["mentions"] == 2 and g.nodes["PERSON:甲乙"]["roles"] == ["区长"]
    assert g.nodes["PLACE:江海区"]["articles"] == 2


def test_paragraph_and_article_windows(two_articles):
    para = build_graph(two_articles, window="paragraph")
    assert para.has_edge("PERSON:甲乙", "PERSON:丙丙") and not para.has_edge("PERSON:丙丙", "PLACE:江海区") is False
    art = build_graph(two_articles, window="article")
    assert art.edges["PERSON:甲乙", "PERSON:丙丙"]["weight"] == 1
    # no edge joins entities that never share an article, whatever the window
    for g in (para, art):
        assert not g.has_edge("ORG:丁丁", "PERSON:甲乙")


def test_bylines_are_nodes_but_not_linked_unless_asked(two_articles):
    g = build_graph(two_articles)
    assert g.nodes["PERSON:记者甲"]["byline"] and g.degree("PERSON:记者甲") == 0
    g2 = build_graph(two_articles, include_bylines=True)
    assert g2.has_edge("PERSON:记者甲", "PERSON:甲乙")


def test_min_weight_and_npmi(two_articles):
    extra = _extraction("a3", ["甲乙在江海区。"], [(0, "甲乙", "PERSON"), (0, "江海区", "PLACE")])
    g = build_graph(two_articles + [extra], min_weight=2)
    assert list(g.edges) == [("PERSON:甲乙", "PLACE:江海区")]
    assert -1.0 <= g.edges["PERSON:甲乙", "PLACE:江海区"]["npmi"] <= 1.0
    with pytest.raises(ValueError, match="window must be one of"):
        build_graph(two_articles, window="page")


def test_normalize_name():
    assert normalize_name("阿特斯食品(江门) 新型\n生产基地") == "阿特斯食品（江门）新型生产基地"
    assert normalize_name("ＡＢＣ公司") == "ABC公司"


def test_queries(two_articles):
    kgraph = KnowledgeGraph(build_graph(two_articles, window="article"), two_articles)
    table = kgraph.neighbors("甲乙")
    assert list(table["name"])[:1] and set(table["name"]) == {"江海区", "丙丙"}
    rel = kgraph.relation("甲乙", "江海区")
    assert [e["sentence"] for e in rel["evidence"]] == ["甲乙在江海区。"]
    assert [s["target"] for s in kgraph.path("丙丙", "丁丁")][-1] == "ORG:丁丁"
    assert kgraph.top(by="degree", n=1)["name"][0] == "江海区"
    assert kgraph.top(by="pagerank", n=1)["name"][0] == "江海区"
    assert set(kgraph.ego("丁丁").graph) == {"ORG:丁丁", "PLACE:江海区"}
    assert sum(len(c) for c in kgraph.communities()) == kgraph.graph.number_of_nodes()
    with pytest.raises(UnknownEntity, match="甲乙"):
        kgraph.neighbors("甲乙丙")


def test_exports_survive_hostile_text(tmp_path, two_articles):
    nasty = "坏\x00人\x0b<script>alert('x')</script>&\ud800"
    ex = _extraction("a9", [nasty + "在江海区。"], [(0, "坏人", "PERSON"), (0, "江海区", "PLACE")])
    g = build_graph(two_articles + [ex])
    before = json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, sort_keys=True, default=str)
    path = write_graphml(g, tmp_path / "g.graphml")
    ET.parse(path)  # well-formed XML
    back = nx.read_graphml(path)
    assert back.edges["PERSON:坏人", "PLACE:江海区"]["weight"] == 1
    raw = back.edges["PERSON:坏人", "PLACE:江海区"]["evidence"]
    assert "\x00" not in raw and "\x0b" not in raw  # JSON text escapes them, so the XML stays valid
    assert "<script>alert('x')</script>&" in json.loads(raw)[0]["sentence"]
    assert back.nodes["PERSON:甲乙"]["type"] == "PERSON" and back.nodes["PERSON:甲乙"]["name"] == "甲乙"
    after = json.dumps(nx.node_link_data(g, edges="links"), ensure_ascii=False, sort_keys=True, default=str)
    assert before == after  # exporters work on copies
    assert read_json(write_json(g, tmp_path / "g.json")).edges["PERSON:甲乙", "PLACE:江海区"]["evidence"]
    assert not list(tmp_path.glob("*.tmp"))
    for _, data in scalar_graph(g).nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())


def test_graphml_is_what_networkx_reads_back(tmp_path, two_articles):
    ex = _extraction("a9", ["坏\r人\t\"引号\"在江海区。"], [(0, "坏人", "PERSON"), (0, "江海区", "PLACE")])
    g = build_graph(two_articles + [ex])
    g.graph["note"] = 'a "quoted" <b>&\r\nline'
    g.nodes["PERSON:坏人"]["score"] = 1  # an int on one node, a float on another: the key is a double
    g.nodes["PLACE:江海区"]["score"] = 0.5
    back = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    flat = scalar_graph(g)
    assert back.graph == {"node_default": {}, "edge_default": {}, **flat.graph}
    assert list(back.nodes(data=True)) == list(flat.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in back.edges(data=True)} == \
        {frozenset((u, v)): d for u, v, d in flat.edges(data=True)}
    assert back.nodes["PERSON:坏人"]["score"] == 1.0 and isinstance(back.nodes["PERSON:坏人"]["score"], float)
    assert back.nodes["PERSON:坏人"]["byline"] is False


# --- the seed page, end to end ------------------------------------------------------------------

def test_seed_articles(seed_graph):
    assert len(seed_graph.graph.graph["articles"]) == 5


def test_seed_relations_with_evidence(seed_graph):
    rel = seed_graph.relation("PERSON:郑建国", "ORG:深圳市芯联电股份有限公司")
    assert rel["weight"] >= 1
    assert any("董事长郑建国" in e["sentence"] for e in rel["evidence"])
    rel = seed_graph.relation("PERSON:方志英", "PROJECT:又一科创产业园项目")
    assert rel["weight"] >= 1 and any("项目负责人方志英" in e["sentence"] for e in rel["evidence"])


def test_seed_people_roles_and_bylines(seed_graph):
    g = seed_graph.graph
    assert "区委书记" in g.nodes["PERSON:袁加伟"]["roles"]
    assert g.nodes["PERSON:李雨溪"]["byline"] and g.degree("PERSON:李雨溪") == 0
    # the paper in the dateline (江门日报讯) says who wrote, like the reporters: no links by default
    assert g.nodes["ORG:江门日报"]["byline"] and g.degree("ORG:江门日报") == 0
    assert {"PROJECT:江中高速改扩建", "PROJECT:优巨新材特种工程改性塑料及总部建设项目", "PLACE:江海区"} <= set(g)


def test_seed_article_window_stays_inside_articles(seed_graph):
    from conftest import SEEDS

    g = kg.build([SEEDS], window="article").graph
    for u, v, data in g.edges(data=True):
        shared = set(g.nodes[u]["article_ids"]) & set(g.nodes[v]["article_ids"])
        assert shared and {e["article"] for e in data["evidence"]} <= shared


def test_short_place_form_is_the_same_node(tmp_path):
    """江海 next to 江海区 in one article is one node; the user's patterns make the mentions certain."""
    patterns = tmp_path / "p.jsonl"
    patterns.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in [
        {"label": "PLACE", "pattern": "江海区"}, {"label": "PLACE", "pattern": "江海"},
        {"label": "PERSON", "pattern": "袁加伟"}]) + "\n", encoding="utf-8")
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "1", "text": "袁加伟在江海区调研。确保江海出台的各项政策落地，袁加伟说。"},
        {"id": "2", "text": "江海是一个地方，袁加伟也来过。"}]) + "\n", encoding="utf-8")
    g = kg.build([src], patterns=patterns).graph
    assert g.nodes["PLACE:江海区"]["mentions"] == 2 and g.nodes["PLACE:江海区"]["aliases"] == ["江海", "江海区"]
    assert g.nodes["PLACE:江海"]["articles"] == 1  # article 2 never says 江海区: no evidence they are one


def test_countries_named_by_one_character_are_nodes_by_their_full_names(tmp_path):
    """中俄关系: 中 and 俄 are two places, and the graph knows them as 中国 and 俄罗斯; 巴 names several
    countries (巴西, 巴基斯坦, 巴勒斯坦) and is left out."""
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "中俄两国元首会晤。中巴经济走廊建设加快。"}, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    g = kg.build([src]).graph
    assert g.has_edge("PLACE:中国", "PLACE:俄罗斯")
    assert g.nodes["PLACE:中国"]["aliases"] == ["中"]
    assert not any(d["name"] in ("中", "俄", "巴", "中俄", "中巴") for _, d in g.nodes(data=True))


def test_background_writer_returns_and_raises():
    from kg.export import in_background

    assert in_background(lambda: [1, 2]).result() == [1, 2]
    with pytest.raises(ZeroDivisionError):
        in_background(lambda: 1 / 0).result()


def test_parallel_write_all_writes_the_same_files(seed_graph, tmp_path):
    one = seed_graph.write_all(tmp_path / "one", parallel=False)
    two = seed_graph.write_all(tmp_path / "two", parallel=True)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert not list((tmp_path / "two").glob(".*.tmp"))
