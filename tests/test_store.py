"""kg.store and the incremental build: what is extracted once stays extracted, and a killed build resumes.

Corpora are small generated news items (a few hundred at most) in tmp_path, run through the real model.
Whether the model ran is read from the store itself: one ``docs`` row per extraction made.
"""
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg.extract import extract
from kg.read import read_articles
from kg.store import Store, StoredExtractions, StoreError, pipeline_version

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = ["建国", "志强", "海燕", "秀英", "国华", "晓明", "丽娟", "文博", "永红", "春生", "德明", "玉兰"]
PLACES = ["江海区", "蓬江区", "新会区", "台山市", "开平市", "鹤山市", "恩平市", "外海街道", "礼乐街道"]
ORGS = ["江门市人民政府", "江海区委", "江门市发展和改革局", "广东省交通集团", "江门日报社", "五邑大学"]
PROJECTS = ["江门大道改造工程", "银洲湖高速公路", "滨江新城综合开发项目", "珠西枢纽工程"]


def news(n, *, seed=0, start=0):
    """``n`` short articles, each naming people, places, organisations and a project; distinct texts."""
    rng = random.Random(seed)
    person = lambda: rng.choice(SURNAMES) + rng.choice(GIVEN)  # noqa: E731
    items = []
    for i in range(start, start + n):
        p1, p2, place, org, project = person(), person(), rng.choice(PLACES), rng.choice(ORGS), rng.choice(PROJECTS)
        text = (f"本报讯 {i % 28 + 1}日，{org}党委书记{p1}到{place}调研{project}建设情况。"
                f"{p1}强调，要加快推进{project}建设，{place}要做好服务保障。\n"
                f"{org}副主任{p2}参加调研。第{i}期。")
        items.append({"id": f"n{i}", "date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "title": f"{place}动态{i}",
                      "text": text})
    return items


def write_jsonl(path, items):
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")
    return path


def count_docs(store_path, version=None):
    with sqlite3.connect(store_path) as db:
        if version is None:
            return db.execute("SELECT count(*) FROM docs").fetchone()[0]
        return db.execute("SELECT count(*) FROM docs WHERE version = ?", (version,)).fetchone()[0]


def same_graph(a, b):
    """Same nodes with the same counts, same edges with the same weights and evidence."""
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert {tuple(sorted(e[:2])): e[2] for e in a.edges(data=True)} == \
           {tuple(sorted(e[:2])): e[2] for e in b.edges(data=True)}
    assert a.graph["articles"] == b.graph["articles"]


# ---------------------------------------------------------------------------------------------
# The store


def test_store_gives_back_exactly_what_was_extracted(tmp_path, nlp):
    articles = list(read_articles(SEEDS))
    made = list(extract(articles, nlp=nlp, progress=False))
    kgraph = kg.build([SEEDS], store=tmp_path / "kg.sqlite")
    assert list(kgraph._extractions) == made
    # and the graph is the one the in-memory build makes
    same_graph(kgraph.graph, kg.build([SEEDS]).graph)


def test_extractions_are_read_from_the_store_each_time(tmp_path):
    kgraph = kg.build([SEEDS], store=tmp_path / "kg.sqlite")
    assert isinstance(kgraph._extractions, StoredExtractions)  # kept as given, not read into a list
    store = Store(tmp_path / "kg.sqlite")
    rows = store.add_articles(read_articles(SEEDS))  # already there: the same rows come back
    stored = StoredExtractions(store, rows, pipeline_version())
    assert len(stored) == 5 and list(stored) == list(stored) == list(kgraph._extractions)  # re-iterable
    a, b, _ = max(kgraph.graph.edges(data="weight"), key=lambda e: e[2])
    rel = kgraph.relation(a, b)
    assert rel["weight"] >= 1 and rel["evidence"]


def test_not_a_store(tmp_path):
    bad = tmp_path / "kg.sqlite"
    bad.write_text("not sqlite at all " * 100)
    with pytest.raises(StoreError, match="not a kg store"):
        Store(bad)


def test_pipeline_version_follows_patterns_content(tmp_path):
    patterns = tmp_path / "names.jsonl"
    patterns.write_text('{"label": "ORG", "pattern": "江海区委"}\n', encoding="utf-8")
    v0, v1 = pipeline_version(), pipeline_version(patterns=patterns)
    patterns.write_text('{"label": "ORG", "pattern": "蓬江区委"}\n', encoding="utf-8")
    v2 = pipeline_version(patterns=patterns)
    assert len({v0, v1, v2}) == 3
    assert pipeline_version() == v0


# ---------------------------------------------------------------------------------------------
# Incremental builds


def test_unchanged_rebuild_extracts_nothing_and_loads_no_model(tmp_path, monkeypatch):
    src = write_jsonl(tmp_path / "news.jsonl", news(30))
    store = tmp_path / "kg.sqlite"
    first = kg.build([src], store=store)
    assert first.stats.extracted == 30 and count_docs(store) == 30

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for an unchanged corpus")

    monkeypatch.setattr(sys.modules["kg.build"], "load_pipeline", no_model)  # kg.build is the function
    again = kg.build([src], store=store)
    assert again.stats.extracted == 0 and count_docs(store) == 30
    same_graph(first.graph, again.graph)


def test_adding_articles_extracts_only_the_new_ones(tmp_path):
    store = tmp_path / "kg.sqlite"
    src = write_jsonl(tmp_path / "news.jsonl", news(40))
    kg.build([src], store=store)
    with sqlite3.connect(store) as db:
        before = db.execute("SELECT text_hash, extracted_at FROM docs").fetchall()

    write_jsonl(src, news(40) + news(12, seed=1, start=40))  # the same file, grown
    grown = kg.build([src], store=store)
    assert grown.stats.extracted == 12
    assert count_docs(store) == 52
    with sqlite3.connect(store) as db:  # the first 40 were not extracted again
        assert set(before) <= set(db.execute("SELECT text_hash, extracted_at FROM docs").fetchall())
    same_graph(grown.graph, kg.build([src]).graph)


def test_a_build_uses_only_its_own_sources(tmp_path):
    store = tmp_path / "kg.sqlite"
    a = write_jsonl(tmp_path / "a.jsonl", news(20))
    b = write_jsonl(tmp_path / "b.jsonl", news(20, seed=2, start=20))
    kg.build([a, b], store=store)
    only_a = kg.build([a], store=store)
    assert only_a.stats.extracted == 0
    assert set(only_a.graph.graph["articles"]) == {f"n{i}" for i in range(20)}
    same_graph(only_a.graph, kg.build([a]).graph)


def test_new_patterns_re_extract(tmp_path):
    store = tmp_path / "kg.sqlite"
    src = write_jsonl(tmp_path / "news.jsonl", news(20))
    kg.build([src], store=store)
    patterns = tmp_path / "names.jsonl"
    patterns.write_text('{"label": "PROJECT", "pattern": "第7期"}\n', encoding="utf-8")
    with_patterns = kg.build([src], store=store, patterns=patterns)
    assert with_patterns.stats.extracted == 20
    assert count_docs(store, pipeline_version(patterns=patterns)) == 20
    assert "PROJECT:第7期" in with_patterns.graph
    # the earlier version is still there: going back extracts nothing
    assert kg.build([src], store=store).stats.extracted == 0


def test_filters_apply_without_extraction(tmp_path):
    store = tmp_path / "kg.sqlite"
    src = write_jsonl(tmp_path / "news.jsonl", news(36))
    full = kg.build([src], store=store)
    spring = kg.build([src], store=store, since="2024-03-01", until="2024-05-31", types=["PERSON", "PLACE"])
    assert spring.stats.extracted == 0
    dates = [a["date"] for a in spring.graph.graph["articles"].values()]
    assert dates and all("2024-03-01" <= d <= "2024-05-31" for d in dates)
    assert {d["type"] for _, d in spring.graph.nodes(data=True)} <= {"PERSON", "PLACE"}
    assert set(spring.graph) < set(full.graph)
    with pytest.raises(ValueError, match="yyyy-mm-dd"):
        kg.build([src], store=store, since="March")
    with pytest.raises(ValueError, match="types"):
        kg.build([src], store=store, types=["PEOPLE"])


def test_two_processes_make_the_same_graph(tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", news(48))
    one = kg.build([src], store=tmp_path / "one.sqlite", jobs=1)
    two = kg.build([src], store=tmp_path / "two.sqlite", jobs=2)
    assert two.stats.extracted == 48 and count_docs(tmp_path / "two.sqlite") == 48
    same_graph(one.graph, two.graph)


# ---------------------------------------------------------------------------------------------
# A build killed mid-way


def _children(pid):
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the build's workers")
@pytest.mark.parametrize("jobs, sig", [(1, signal.SIGKILL), (2, signal.SIGKILL), (2, signal.SIGINT)],
                         ids=["1 job, killed", "2 jobs, killed", "2 jobs, Ctrl-C"])
def test_killed_build_resumes_to_the_same_graph(tmp_path, jobs, sig):
    total = 300
    src = write_jsonl(tmp_path / "news.jsonl", news(total, seed=jobs + sig))
    store = tmp_path / "out" / "kg.sqlite"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(tmp_path / "out"), "--jobs", str(jobs), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    committed, workers, deadline = 0, [], time.monotonic() + 120
    while committed == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        workers = _children(proc.pid) or workers
        try:
            committed = count_docs(store)
        except sqlite3.Error:  # not created yet
            pass
    proc.send_signal(sig)  # SIGINT: what Ctrl-C sends
    proc.wait(timeout=60)
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode == (-sig if sig == signal.SIGKILL else 130), stderr
    committed = count_docs(store)
    assert 0 < committed < total

    if jobs > 1:  # the workers do not outlive the build
        assert workers
        time.sleep(1)
        assert not [w for w in workers if _alive(w)]

    resumed = kg.build([src], store=store, jobs=jobs)
    assert resumed.stats.extracted == total - committed
    assert count_docs(store) == total
    same_graph(resumed.graph, kg.build([src]).graph)


def test_cli_store_options(tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", news(8))
    out = tmp_path / "out"
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(out), "-q", *extra],
        capture_output=True, text=True, check=True).stdout
    assert "8 extracted" in run("--no-store")
    assert not (out / "kg.sqlite").exists()
    custom = tmp_path / "elsewhere.sqlite"
    run("--store", str(custom), "--jobs", "1")
    assert count_docs(custom) == 8
    assert "0 extracted, 8 already in" in run("--store", str(custom), "--types", "PERSON")
    import pandas as pd

    assert set(pd.read_csv(out / "entities.csv")["type"]) == {"PERSON"}


def test_cli_rewrites_outputs_only_when_something_changed(tmp_path):
    src = write_jsonl(tmp_path / "news.jsonl", news(8))
    out = tmp_path / "out"
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(out), "--jobs", "1", "-q", *extra],
        capture_output=True, text=True, check=True).stdout
    run()
    stamp = (out / "graph.json").stat().st_mtime_ns
    assert "up to date" in run()
    assert (out / "graph.json").stat().st_mtime_ns == stamp
    assert "up to date" not in run("--min-weight", "2")  # another option: another graph
    (out / "entities.csv").unlink()  # an output gone: written again
    assert "up to date" not in run("--min-weight", "2")
    assert (out / "entities.csv").exists()
    write_jsonl(src, news(9))  # one more article
    assert "1 extracted, 8 already in" in run("--min-weight", "2")

