"""kg's batched NER decoder finds exactly the entities spaCy's own decoder finds with the same weights."""
import json

import pytest
import spacy
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Span

from kg.pipeline import MODEL_DIR
from kg.pipeline.ner import FastEntityRecognizer, greedy_decode

from conftest import SHARED_DATA

MSRA_TEST = SHARED_DATA / "ner" / "msra" / "test.jsonl"

TEXTS = [
    "区委书记袁加伟主持召开座谈会。深圳市芯联电股份有限公司董事长郑建国出席。",
    "江门日报讯（记者 李晓彤）1月4日，江海区委书记袁加伟前往区信访局调研。\n\n袁加伟强调，要抓好江中高速改扩建。",
    "王",
    "",
    "   \n  ",
    "“我们村的路修好了。”村党支部书记于春花说。她来自贵州省黔东南州从江县。",
    "帕提古丽·艾则孜、热合曼·吐尔逊等20名代表在乌鲁木齐市参加会议；会后赴新疆维吾尔自治区人民医院。",
    "北京 上海  广州\t深圳\n杭州",
    "中华人民共和国国务院总理李强会见了荷兰首相马克·吕特。" * 3,
    # the model would run an ORG over the 。 here: no entity may cross a sentence start
    "中央纪委和国家监委合署办公还不到10天。开局即开工，国家监委这个反腐新机构",
]


def _spacy_entities(ner, docs):
    """What spaCy's own EntityRecognizer decodes with the same component's weights."""
    states = EntityRecognizer.predict(ner, docs)
    EntityRecognizer.set_annotations(ner, docs, states)
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


def _ready(nlp, texts):
    """Docs as the recognizer receives them: sentences set, tok2vec run."""
    docs = [nlp.get_pipe("kg_sentences")(nlp.make_doc(t)) for t in texts]
    return list(nlp.get_pipe("tok2vec").pipe(docs))


def test_the_packaged_model_uses_the_batched_decoder(nlp):
    assert isinstance(nlp.get_pipe("ner"), FastEntityRecognizer)
    assert spacy.util.load_config(MODEL_DIR / "config.cfg")["components"]["ner"]["factory"] == "kg_ner"


def test_same_entities_as_spacys_decoder(nlp):
    ner = nlp.get_pipe("ner")
    expected = _spacy_entities(ner, _ready(nlp, TEXTS))
    assert any(expected)  # the texts hold entities, so equality below means something
    decoded = greedy_decode(ner, _ready(nlp, TEXTS))
    assert [[(s, e, label) for s, e, label in ents] for ents in decoded] == expected
    # and through the component, one batch or one document at a time
    docs = list(ner.pipe(_ready(nlp, TEXTS), batch_size=3))
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs] == expected
    assert [[(e.start, e.end, e.label_) for e in ner(doc).ents] for doc in _ready(nlp, TEXTS)] == expected


def test_every_token_outside_an_entity_is_marked_outside(nlp):
    ner = nlp.get_pipe("ner")
    ours = [ner(doc) for doc in _ready(nlp, TEXTS)]
    theirs = _ready(nlp, TEXTS)
    _spacy_entities(ner, theirs)
    assert [[t.ent_iob_ for t in doc] for doc in ours] == [[t.ent_iob_ for t in doc] for doc in theirs]
    assert all(t.ent_iob_ in ("B", "I", "O") for doc in ours for t in doc)  # none left unset


def test_entities_set_before_the_recognizer_are_kept(nlp):
    # spaCy's decoder honours preset entities; kg's hands such documents to it
    ner = nlp.get_pipe("ner")
    doc = _ready(nlp, ["区委书记袁加伟主持召开座谈会。"])[0]
    doc.set_ents([Span(doc, 0, 2, label="ORG")], default="unmodified")
    ner(doc)
    assert ("区委", "ORG") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.skipif(not MSRA_TEST.exists(), reason=f"{MSRA_TEST} is absent: the shared corpora are not beside this checkout")
def test_same_entities_as_spacys_decoder_on_msra_sentences(nlp):
    with MSRA_TEST.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(600), f)]
    ner = nlp.get_pipe("ner")
    expected = _spacy_entities(ner, _ready(nlp, texts))
    docs = list(ner.pipe(_ready(nlp, texts), batch_size=64))
    assert sum(map(len, expected)) > 500
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs] == expected
