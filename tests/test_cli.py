"""The command line: outputs of a build, query sub-commands, and one clear line for each bad input."""
import json
import subprocess
import sys

import networkx as nx
import pytest

from kg.cli import main

from conftest import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    return out


def test_build_writes_every_output(built):
    for name in ("graph.html", "graph.graphml", "graph.json", "entities.csv", "relations.csv"):
        assert (built / name).stat().st_size > 0
    g = nx.read_graphml(built / "graph.graphml")
    assert {d["type"] for _, d in g.nodes(data=True)} <= {"PERSON", "ORG", "PLACE", "PROJECT"}
    assert all("weight" in d and "evidence" in d for *_, d in g.edges(data=True))
    data = json.loads((built / "graph.json").read_text(encoding="utf-8"))
    assert "PERSON:袁加伟" in {n["id"] for n in data["nodes"]}
    assert not list(built.glob("*.tmp")) and not list(built.glob(".*.tmp"))


def test_queries(built, capsys):
    assert main(["neighbors", str(built), "袁加伟"]) == 0
    assert "袁加伟" in capsys.readouterr().out  # the evidence sentences name him
    assert main(["relation", str(built), "郑建国", "深圳市芯联电股份有限公司"]) == 0
    assert "董事长郑建国" in capsys.readouterr().out
    assert main(["top", str(built), "--by", "pagerank", "-n", "3"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 4  # header and three rows
    assert main(["communities", str(built)]) == 0


def test_unknown_name_lists_closest(built, capsys):
    assert main(["neighbors", str(built), "袁家伟"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg: error: no entity named '袁家伟'") and "袁加伟" in err and "\n" not in err


def _error_of(args, capsys):
    code = main(args)
    err = capsys.readouterr().err.strip().splitlines()
    return code, err


@pytest.mark.parametrize("name, content, expected", [
    ("empty.txt", b"", "no readable article"),
    ("binary.txt", bytes(range(256)) * 4, "no readable article"),
    ("broken.jsonl", b'{"text": "\xe7\x94\xb2"}\n{"text": oops}\n', "broken.jsonl:2"),
    ("notext.csv", "title,body\n标题,正文\n".encode(), "no 'text' column"),
])
def test_bad_input_one_line_and_nonzero_exit(tmp_path, capsys, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    code, err = _error_of(["build", str(path), "--out", str(out), "--quiet"], capsys)
    assert code != 0
    errors = [line for line in err if line.startswith("kg: error:")]
    assert len(errors) == 1 and expected in errors[0]
    assert not list(out.glob("graph.*")) and not list(out.glob("*.csv"))  # nothing half-written


def test_missing_path(tmp_path, capsys):
    code, err = _error_of(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), "--quiet"], capsys)
    assert code != 0 and len(err) == 1 and "nope" in err[0]


def test_warning_names_skipped_file_but_build_goes_on(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "in" / "a.jsonl").write_text(json.dumps({"text": "区委书记袁加伟在江海区调研。"}, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    code, err = _error_of(["build", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--quiet"], capsys)
    assert code == 0 and any("junk.txt" in line for line in err)


def test_existing_outputs_survive_a_failed_build(built, tmp_path, capsys):
    before = (built / "graph.graphml").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert main(["build", str(bad), "--out", str(built), "--quiet"]) != 0
    assert (built / "graph.graphml").read_bytes() == before


def test_installed_entry_point(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path / "missing"), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0 and "missing" in proc.stderr
