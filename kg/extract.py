"""Stage 2: articles -> sentences and entity mentions, through a spaCy pipeline.

Example::

    from kg.read import read_articles
    from kg.extract import extract
    for ex in extract(read_articles("seeds/")):
        print(ex.article.title, [(m.name, m.type) for m in ex.mentions][:3])
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Span
from tqdm.auto import tqdm

from .pipeline.components import ABBREVIATIONS
from .read import Article

# Layout breaks and spaces never belong in a name; brackets are unified to full width.
_SPACE = re.compile(r"\s+")
# Full-width brackets, and one middle dot for the several that papers print in 阿依古丽·买买提
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】", "•": "·", "・": "·", "‧": "·", "∙": "·"})
# Administrative endings: 江海 next to 江海区 in one article is the same place.
_PLACE_ENDINGS = ("特别行政区", "自治区", "自治州", "街道", "新区", "省", "市", "区", "县", "镇", "乡", "村", "州")


class Mention(NamedTuple):
    """One entity mention: where it is, what it says, and the name it is known by."""

    article: str
    paragraph: int
    sentence: int
    start: int
    end: int
    text: str
    type: str
    name: str
    role: Optional[str] = None
    byline: bool = False


@dataclass(frozen=True)
class Extraction:
    """An article's sentences (with their paragraph) and mentions."""

    article: Article
    sentences: Tuple[str, ...]
    sentence_paragraphs: Tuple[int, ...]
    mentions: Tuple[Mention, ...] = field(default=())


def normalize_name(text: str) -> str:
    """The name a mention is known by: NFKC-folded letters and digits, no spaces, full-width brackets,
    one middle dot.

    >>> normalize_name("阿特斯食品(江门) 新型\\n生产基地")
    '阿特斯食品（江门）新型生产基地'
    >>> normalize_name("阿依古丽•买买提") == normalize_name("阿依古丽・买买提") == "阿依古丽·买买提"
    True
    """
    text = _SPACE.sub("", text)
    # NFKC turns full-width Latin and digits half-width but also brackets; put brackets back
    text = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return text.strip("，。、；：:;,.·-—")


def extract(
    articles: Iterable[Article],
    *,
    nlp: Optional[Language] = None,
    batch_size: int = 32,
    n_process: int = 1,
    progress: bool = True,
    total: Optional[int] = None,
) -> Iterator[Extraction]:
    """Run the pipeline over articles, yielding one :class:`Extraction` per article, in order."""
    if nlp is None:
        from .pipeline import load_pipeline

        nlp = load_pipeline()
    stream = ((a.text, a) for a in articles)
    docs = nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process)
    bar = tqdm(docs, total=total, unit="article", desc="kg extract", disable=not progress, leave=False)
    for doc, article in bar:
        yield from_doc(doc, article)


def from_doc(doc, article: Article) -> Extraction:
    """Turn a processed Doc of ``article.text`` into an :class:`Extraction`."""
    para_starts = _paragraph_starts(article.paragraphs)
    sentences, sent_paras, sent_bounds = [], [], []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        sentences.append(text)
        sent_paras.append(_index_at(para_starts, sent.start_char))
        sent_bounds.append(sent.start_char)
    byline_names = {b.name: b.role for b in article.bylines}
    dateline = _dateline_spans(article.paragraphs, para_starts)
    mentions = []
    for ent in _split_spaced_people(doc.ents):
        name = normalize_name(ent.text)
        if len(name) < 2 and ent.label_ == "PLACE" and name in ABBREVIATIONS:
            name = ABBREVIATIONS[name]  # 中俄关系: 中国 and 俄罗斯, the nodes the rest of the news names
        elif len(name) < 2:
            continue  # any other lone character (京, 巴: 巴西 or 巴基斯坦?) is one the graph cannot resolve
        role = ent._.role if ent.label_ == "PERSON" else None
        # the reporters, and the paper in a dateline (江门日报讯(记者/…)), say who wrote, not who
        # did what: left out of links by default like the reporters themselves
        byline = (ent.label_ == "PERSON" and name in byline_names) or _in_spans(ent.start_char, dateline)
        if ent.label_ == "PERSON" and not role and name in byline_names:
            role = byline_names[name]
        mentions.append(
            Mention(
                article=article.id,
                paragraph=_index_at(para_starts, ent.start_char),
                sentence=max(0, _index_at(sent_bounds, ent.start_char)),
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                type=ent.label_,
                name=name,
                role=role,
                byline=byline,
            )
        )
    mentions += _missing_bylines(article, mentions, sent_bounds, para_starts)
    return Extraction(article, tuple(sentences), tuple(sent_paras), tuple(_merge_short_places(mentions)))


# 江门日报讯(记者/李雨溪 通讯员/朱苗欣), 本报讯（记者 张三）, 新华社北京1月4日电（记者 李四）
_DATELINE = re.compile(r"^[^，。,]{2,16}?(?:讯|日电)\s*[（(][^）)]{0,40}[）)]|^[^，。,\s]{2,12}?讯|^[^，。,]{0,16}?\d+日电")
# □文/图 江门日报记者 李雨溪, 通讯员 梁文聪: a paragraph that is only a byline
_BYLINE_LINE = re.compile(r"^[□■]|^(?:文/图|文图|记者|通讯员|实习生|摄影)[\s/：:]")


def _dateline_spans(paragraphs: Sequence[str], starts: Sequence[int]) -> List[Tuple[int, int]]:
    spans = []
    for para, at in zip(paragraphs[:3], starts):
        if _BYLINE_LINE.match(para) and len(para) <= 40 and "。" not in para:
            spans.append((at, at + len(para)))
        else:
            m = _DATELINE.match(para)
            if m:
                spans.append((at, at + m.end()))
    return spans


def _in_spans(offset: int, spans: Sequence[Tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _split_spaced_people(ents):
    """何榕 陈婵 read as one person: names in a byline are set apart by spaces, so split there."""
    for ent in ents:
        if ent.label_ != "PERSON" or not any(t.is_space or t.whitespace_ for t in ent[:-1]):
            yield ent
            continue
        start = ent.start
        for tok in ent:
            if tok.is_space or tok.whitespace_ or tok.i == ent.end - 1:
                end = tok.i if tok.is_space else tok.i + 1
                if end - start >= 2:
                    yield Span(ent.doc, start, end, label="PERSON")
                start = tok.i + 1


def _missing_bylines(article: Article, mentions: List[Mention], sent_bounds, para_starts) -> List[Mention]:
    """Reporters the model missed are still the article's authors: add them where the byline is."""
    found = {m.name for m in mentions if m.type == "PERSON"}
    extra = []
    text = article.text
    for b in article.bylines:
        if b.name in found:
            continue
        at = text.find(b.name)
        if at < 0:
            continue
        extra.append(Mention(article.id, _index_at(para_starts, at), max(0, _index_at(sent_bounds, at)), at,
                             at + len(b.name), b.name, "PERSON", b.name, b.role, True))
    return extra


def _merge_short_places(mentions: Sequence[Mention]) -> List[Mention]:
    """江海 in an article that also says 江海区 is 江海区 (a PLACE, even if tagged otherwise)."""
    places = {m.name for m in mentions if m.type == "PLACE"}
    out = []
    for m in mentions:
        if m.type in ("PLACE", "ORG"):
            longer = [m.name + end for end in _PLACE_ENDINGS if m.name + end in places]
            if longer:
                m = m._replace(name=longer[0], type="PLACE")
        out.append(m)
    return out


def _paragraph_starts(paragraphs: Sequence[str]) -> List[int]:
    starts, at = [], 0
    for p in paragraphs:
        starts.append(at)
        at += len(p) + 1  # the "\n" that joins paragraphs in Article.text
    return starts


def _index_at(starts: Sequence[int], offset: int) -> int:
    """Index of the last start <= offset."""
    return bisect.bisect_right(starts, offset) - 1
