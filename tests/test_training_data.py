"""The hand-annotated local news of training/assets: the markup they are written in, their offsets, and how
the training passages become spaCy examples (PROJECT unknown to the loss, never taught as "outside")."""
import json
import sys
from pathlib import Path

import pytest
import spacy

ASSETS = Path(__file__).resolve().parent.parent / "training" / "assets"
sys.path.insert(0, str(ASSETS.parent / "scripts"))

from eval_local import validate  # noqa: E402
from local_train import to_doc  # noqa: E402
from markup import parse_passage, read_markup, unannotated_repeats  # noqa: E402

HELD_OUT = ("local_news_holdout.jsonl", "local_news_holdout2.jsonl", "local_news_holdout4.jsonl")


def test_markup_gives_the_text_and_its_offsets():
    text, spans = parse_passage(["江门日报讯（记者 [李晓彤|PERSON]）[江海区|PLACE]区委书记[袁加伟|PERSON]主持会议。",
                                 "[区经促局|ORG]负责人介绍。"], where="t")
    assert text == "江门日报讯（记者 李晓彤）江海区区委书记袁加伟主持会议。\n区经促局负责人介绍。"
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("李晓彤", "PERSON"), ("江海区", "PLACE"), ("袁加伟", "PERSON"), ("区经促局", "ORG")]


@pytest.mark.parametrize("line, problem", [
    ("[江海区|TOWN]召开会议", "unknown label TOWN"),
    ("[江海区|PLACE召开会议", "stray bracket"),
    ("[[江海|PLACE]区|PLACE]召开会议", "stray bracket"),
    ("[ 江海区|PLACE]召开会议", "spaces around"),
])
def test_markup_mistakes_are_named_with_their_passage(line, problem):
    with pytest.raises(ValueError, match=problem) as err:
        parse_passage([line], where="set.txt: tr-007")
    assert "tr-007, paragraph 1" in str(err.value)


def test_markup_file_splits_passages_and_warns_of_unannotated_repeats(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("[江海区|PLACE]召开会议，江海区各部门参加。\n---\n\n[袁加伟|PERSON]说。\n", encoding="utf-8")
    rows = read_markup(path, prefix="tr")
    assert [r["id"] for r in rows] == ["tr-001", "tr-002"]
    assert unannotated_repeats(rows[0]) == ["江海区"]
    assert unannotated_repeats(rows[1]) == []


def test_a_project_is_missing_to_the_loss_and_the_rest_is_outside():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    text = "江海区优巨新材项目开工，区长到场。"
    doc = to_doc(nlp, {"text": text, "spans": [[0, 3, "PLACE"], [3, 9, "PROJECT"]]}, where="t")
    assert [(e.text, e.label_) for e in doc.ents] == [("江海区", "PLACE")]
    iob = [t.ent_iob_ for t in doc]
    assert iob[:3] == ["B", "I", "I"]
    assert iob[3:9] == [""] * 6          # unknown: neither an entity nor outside
    assert set(iob[9:]) == {"O"}


@pytest.mark.parametrize("path", sorted(ASSETS.glob("*.jsonl")) + sorted((ASSETS / "train").glob("*.jsonl")),
                         ids=lambda p: p.name)
def test_every_set_has_valid_offsets(path):
    # eval_local's own check: labels, offsets in range, no overlap, no spaces around a span, unique ids
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert validate(rows) == []


def test_no_held_out_passage_is_trained_on():
    held_out = {json.loads(line)["text"] for name in HELD_OUT
                for line in (ASSETS / name).read_text(encoding="utf-8").splitlines()}
    for path in (ASSETS / "train").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["text"] not in held_out, path.name
