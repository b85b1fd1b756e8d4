"""kg's rule-based pipeline components, registered as spaCy factories so a pipeline is data.

- ``kg_sentences``: Chinese sentence boundaries (。！？； and paragraph breaks), quotations kept whole.
- ``kg_orgs``: whole company and newspaper names over the place the model saw at their start.
- ``kg_places``: towns, streets, communities and villages before their ending; the model's usual
  place slips mended (江门|高新区, 北仑区小港街道, a district read as a person).
- ``kg_projects``: named development projects (…项目, …工程, …产业园, 江中高速改扩建) as PROJECT.
- ``kg_names``: a title before a person is a role, not part of the name (区委书记袁加伟 -> 袁加伟).
- ``kg_label_map``: maps another pipeline's labels (OntoNotes: GPE, LOC, FAC …) onto kg's four.
- ``kg_phrase_ruler``: spaCy's span ruler, loading its phrase patterns with the tokenizer alone.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import re
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans, registry

from kg.read import find_bylines

LABELS = ("PERSON", "ORG", "PLACE", "PROJECT")

if not Token.has_extension("kg_role"):
    Token.set_extension("kg_role", default=None)
if not Span.has_extension("role"):
    # the role (title) written right before a person, e.g. 区委书记 for 袁加伟
    Span.set_extension("role", getter=lambda span: span[0]._.kg_role if span.label_ == "PERSON" else None)

# --------------------------------------------------------------------------------------------
# Sentences

_ENDS = set("。！？；!?;")
_OPEN = set("“‘「『（(《【")
_CLOSE = set("”’」』）)》】")


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str):
    """Split at 。！？； (a closing quote or bracket stays with its sentence) and at line breaks.

    Inside “…” or （…） a 。 does not end the sentence, so a quotation stays whole; a line break
    always does, so an unbalanced quote cannot swallow the rest of an article.
    """
    return split_sentences


_TEXT_KEY = "kg.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per pipeline run.

    ``Doc.text`` joins every token in Python, which with one token per character costs as much as
    the CNN does; kg's components share one copy in ``user_data``, and ``kg_names``, the last of
    them, drops it.
    """
    text = doc.user_data.get(_TEXT_KEY)
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != length:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def split_sentences(doc: Doc) -> Doc:
    """Mark sentence starts; works on character and on word tokens alike."""
    starts = sentence_starts(doc_text(doc))
    idx = doc.to_array([IDX]).astype("int64")
    flags = numpy.full(len(doc), -1, dtype="int32")
    if len(doc):
        # a token starts a sentence when a sentence starts inside it or at its first character
        hit = numpy.searchsorted(idx, numpy.asarray(starts, dtype="int64"), side="right") - 1
        flags[numpy.unique(hit[hit >= 0])] = 1
        flags[0] = 1
    # set all tokens at once: Token.is_sent_start one by one rescans the doc for a parse each time
    doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
    return doc


_SPEECH = re.compile("说|表示|介绍|指出|强调|告诉|认为|称|透露|坦言|笑着")
_MARKS = re.compile("[" + re.escape("\n" + "".join(_OPEN | _CLOSE | _ENDS)) + "]")


def sentence_starts(text: str) -> List[int]:
    """Character offsets where sentences start.

    >>> sentence_starts("他说：“好。走吧。”然后离开了。")
    [0, 10]
    """
    starts, depth, n = [0], 0, len(text)
    i = 0
    while i < n:
        m = _MARKS.search(text, i)  # only line breaks, quotes and stops matter: jump to the next one
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            depth = 0
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if j < n:
                starts.append(j)
            i = j
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _ENDS and depth == 0:
            j = i + 1
            while j < n and text[j] in _ENDS:
                j += 1
            if j < n and text[j] not in "\n" and not text[j].isspace():
                starts.append(j)
            i = j
            continue
        elif ch in _ENDS and depth > 0:
            # 。” closes a quotation and the sentence with it, unless its speaker follows (“…。”他说。)
            j = i + 1
            while j < n and text[j] in _ENDS:
                j += 1
            k = j
            while k < n and text[k] in _CLOSE:
                k += 1
                depth = max(0, depth - 1)
            if k > j and depth == 0:
                if k < n and text[k] != "\n" and not _attribution_follows(text, k):
                    starts.append(k)
                i = k
                continue
            i = j
            continue
        i += 1
    return sorted(set(s for s in starts if s < n))


def _attribution_follows(text: str, i: int) -> bool:
    """“…。”方志英说。 — a short speaker clause after a quotation belongs to it."""
    m = re.match(r"[^。！？；!?;\n“「『]{0,20}", text[i:])
    clause = m.group() if m else ""
    end = i + len(clause)
    return end < len(text) and text[end] in _ENDS and bool(_SPEECH.search(clause))


# --------------------------------------------------------------------------------------------
# Projects

# Endings of project names, longest first so 改扩建 wins over 扩建.
PROJECT_SUFFIXES = (
    "改扩建工程", "改扩建项目", "改扩建", "扩建工程", "扩建项目", "扩建", "产业园区", "产业园", "科技园区", "工业园区", "科技园", "工业园", "物流园",
    "园区", "项目", "工程", "基地", "中心", "综合体", "新城",
)
# A 中心 is a project only when it makes, stores or moves something; 服务中心 and 救治中心 are bodies.
_CENTRE_WORDS = re.compile("生产|制造|研发|产业|物流|数据|创新|科创|智造|仓储|会展|商务|金融|总部")
# What may not be inside a project name: punctuation, and the verbs and function words that
# introduce one in news prose (推进、加快建设、在…现场、随着…).
_BREAK_CHARS = set("，。、；：！？,.;:!?“”‘’\"'《》<>【】[]{}…—·/\\|\n\r\t 　的和或是在对把将被为从向等由")
_LEFT_STOPS = (
    "推进", "推动", "加快", "加速", "建设", "抓好", "抓紧", "开展", "实施", "落实", "签约", "动工", "开工", "投产",
    "落户", "引进", "围绕", "打造", "参观", "调研", "考察", "视察", "走访", "前往", "来到", "位于", "包括", "其中",
    "随着", "作为", "通过", "以及", "还有", "同时", "目前", "近期", "今年", "去年", "明年", "已经", "正在", "进入",
    "完成", "启动", "新建", "筹建", "谋划", "储备", "争取", "支持", "服务", "保障", "聚焦", "迎来", "这批", "一批",
    "多个", "各个", "有关", "相关", "加大", "全力", "着力", "重点", "积极", "成功", "计划", "做好", "形成", "帮助",
    "倒逼", "优化", "不断", "继续", "按时", "落地", "每一个", "部分", "这批", "确保", "促进", "助推", "带动", "依托",
    "结合", "对接", "洽谈", "承接", "时间", "举行", "举办", "召开", "推出", "共建", "部署", "研究", "安排", "另有",
    "共有", "通报", "集中", "提速", "提档", "升级", "获悉", "了解到", "获批", "批复", "审议", "通过了", "启用",
    "近日", "日前", "昨日", "昨天", "今日", "今天", "当天", "本周", "上周", "本月", "上月", "年初", "年底", "季度",
    "上半年", "下半年", "共", "了", "着", "把", "让", "但", "并",
    "现场", "民生工程",  # 现场签约|项目, 重点民生工程|柳江区…项目
    "关闭", "停止", "禁止", "解决", "恢复", "暂停", "看了",  # 全面关闭|开城工业园区
    "汇报", "列入", "纳入", "跟着", "期间", "此次", "本次", "民生实事", "主会场项目", "分会场项目", "承建",
    "提高", "重视", "发挥", "搞好", "推行",
    "加强", "完善", "培训", "总结", "协同", "要求", "参加", "参与", "承担", "建立", "健全", "我们", "像", "范畴内", "一个",
    "带队到", "选址", "承包", "涉及", "补齐", "书记",
    "建有", "建成", "实行", "听取", "帮办", "察看", "查看", "观摩", "签署", "签订",
)
# 服务队都会到|科技园, 将闲置民房改造成|研学基地: no project name runs back over these
_PROJECT_STOPS = _LEFT_STOPS + ("到", "改造成", "打造成", "建设成", "变成")
# Stop words that may end a name, right before its suffix (总部建设|项目, 改造升级|工程, 便民服务|中心); the
# others cut there too (汇报了|项目, 同步推进|园区, 此次签约|项目)
_NAME_TAILS = ("建设", "新建", "筹建", "升级", "提档", "服务", "保障", "共建", "集中", "优化", "启动", "承接", "研究",
               "促进", "民生工程")
# A sports event is a 项目 too: 男子蹦床项目, 混双项目
_SPORT = re.compile("男子|女子|混双|混合团体|单打|双打|团体赛|接力|速射|蹦床")
# Words for kinds of projects before a description, not a name: 打造更多|沉浸式体验项目, 一批|文旅项目
_KINDS = ("更多", "一批", "一大批", "多个", "若干", "一系列", "系列", "一些", "各类", "一类", "此类", "这类", "一项",
          "一片片", "一个个", "这一", "那一", "这项", "该项", "此项")
# Words of a speaker that cut even right before the suffix: 市委书记陈星宣布|项目开工, 负责同志介绍了|项目
_SPEAKER_STOPS = ("宣布", "介绍", "表示", "负责同志", "负责人")
# A project name whose body is made of these words only is a category, not a name
# (重点项目, 六大产业项目, 外联交通项目, 该项目).
_GENERIC_WORDS = (
    "重点", "重大", "大型", "大", "好", "新", "老", "该", "此", "这个", "那个", "本", "各", "各类", "有关", "相关",
    "产业", "工业", "交通", "外联", "基础设施", "设施", "民生", "水利", "市政", "城建", "招商", "投资", "建设",
    "在建", "新建", "续建", "代表", "示范", "试点", "省级", "市级", "区级", "县级", "国家级", "亿元", "以上",
    "社会", "公益", "配套", "基层", "医疗", "卫生", "教育", "文化", "体育", "旅游", "农业", "制造业", "服务",
    "一批", "一些", "多个", "其他", "上述", "这些", "那些", "主体", "整体", "全部", "所有", "每个", "每一个",
    "工作", "帮扶", "民心", "实事", "惠民", "救治", "服务", "党建", "平台", "数字", "智慧", "改造", "提升",
    "企业", "超", "逾", "近", "约", "万元", "元", "项目", "工程", "落地", "部分", "时间", "以", "为", "之",
    "区", "市", "县", "镇", "省", "全区", "全市", "全省", "全县", "我区", "我市", "我省", "我县",
    "城市", "更新", "道路", "拓宽", "城市更新", "技改", "技术改造", "主会场", "分会场",
    "直接", "外商", "外资", "合作", "具体", "援助", "技术", "必填", "及", "和", "与",
    "科研", "攻关", "推广", "评奖", "获奖", "维修", "保护", "抢救", "就业", "再就业", "系统", "宏伟", "基建",
    "农田", "万亩", "先进", "春季", "夏季", "秋季", "冬季",
)
# A leading administrative place (江海区, 江海区委) in front of a category is still a category:
# 江海区委重大项目 is not a name, 江海区优巨新材…项目 is.
_ADMIN_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|区|县|镇|乡|街道|村)(?:委|政府)?")
_NUMERAL = re.compile(r"^[0-9一二三四五六七八九十百千万两几数第]+(?:年度|[个项大批类年])?")  # 2025年第二批
_PROJECT_COUNT = re.compile("[0-9一二三四五六七八九十百千万两几数多]+[个项批类家座条大]")
_AREA = re.compile("[0-9一二三四五六七八九十百千万]亩")
_MAX_PROJECT_LEN = 40
_SUFFIX_RE = re.compile("|".join(map(re.escape, PROJECT_SUFFIXES)))
_SUFFIX_END = re.compile("(?:" + _SUFFIX_RE.pattern + ")(?:[一二三四五六七八九十0-9]{1,2}期)?$")
_PROJECT_STAFF = ("负责人", "经理", "部", "办", "组", "团队", "总监", "总工")
_STAFF_OF = ("公司", "集团", "局", "院", "厂", "单位", "中心")
_PHASE_RE = re.compile(r"[一二三四五六七八九十0-9]{1,2}期(?:工程|项目)?")
_PHASE_TAIL = re.compile(r"[一二三四五六七八九十0-9]{1,2}期$")
_MIN_SPLIT_REST = 6
_INSTITUTION = re.compile("人民|第[一二三四五六七八九十]|中心|中学|小学|大学|医院|地铁|轨道")


# What a project does, not who or where it is: 智能仓储|中心, 马铃薯种薯|基地, 数据中心集群|项目 name nothing
_PROJECT_GENERIC = _GENERIC_WORDS + (
    "智能", "仓储", "冷链", "物流", "数据", "集群", "中试", "研发", "生产", "制造", "智造", "加工", "装备", "海洋",
    "新能源", "汽车", "电池", "材料", "新材料", "光伏", "风电", "储能", "农产品", "种植", "养殖", "育苗", "种薯", "展示",
    "综合", "创新", "科技", "孵化", "运营", "总部", "检测", "认证", "电商", "直播", "文旅", "康养", "夜间", "游船",
    "马铃薯", "蔬菜", "水果", "茶叶", "中心", "标准化", "厂房", "大楼", "配送", "分拣", "冷库",
    "有机", "实训", "实践", "研学", "原料", "返乡", "创业", "小型", "建筑", "家居")


def _is_generic(body: str, words: Tuple[str, ...] = _GENERIC_WORDS) -> bool:
    """True when ``body`` is covered by numerals and category words only."""
    rest = body
    while rest:
        word = next((w for w in sorted(words, key=len, reverse=True) if rest.startswith(w)), None)
        if word is not None:  # a word before a numeral: 数据 is not 数 (several) + 据
            rest = rest[len(word):]
            continue
        m = _NUMERAL.match(rest)
        if not m or m.end() == 0:
            return False
        rest = rest[m.end():]
    return True


def find_projects(text: str, *, min_body: int = 3) -> List[tuple]:
    """Character spans ``(start, end)`` of named projects in ``text``.

    >>> t = "加快建设江中高速改扩建、五邑路扩建等项目"
    >>> [t[s:e] for s, e in find_projects(t)]
    ['江中高速改扩建', '五邑路扩建']
    """
    found = []
    for m in _SUFFIX_RE.finditer(text):
        if text.startswith(("师", "院", "学"), m.end()) and m.group() == "工程":
            continue  # 总工程师, 工程院, 工程学: a trade, not a project
        end = m.end()
        phase = _PHASE_RE.match(text, end)  # 产业园二期, 一期工程
        if phase:
            end = phase.end()
        body_end = m.start()
        tail = _PHASE_TAIL.search(text, max(0, body_end - 3), body_end)
        if m.group() in ("工程", "项目") and tail:
            body_end = tail.start()  # 地铁27号线|一期工程
            if text.endswith(PROJECT_SUFFIXES, 0, body_end):
                continue  # 产业园一期工程: found from 产业园, its phase included
        start = _cut_at_stop(text, _extend_left(text, body_end), body_end, _PROJECT_STOPS)
        start = _cut_at_stop(text, start, body_end, _SPEAKER_STOPS, keep_last=False)
        start = _after_unmatched_close(text, start, body_end)  # （记者/梁宇航）|海越…项目
        body = text[start:body_end]
        if text.endswith(_KINDS, 0, start) or body.startswith(_KINDS) or _SPORT.search(body):
            continue
        admin = _ADMIN_PREFIX.match(body)
        if admin and (admin.end() == len(body) or _is_generic(body[admin.end():])):
            continue
        if len(body) < min_body or end - start > _MAX_PROJECT_LEN or _is_generic(body, _PROJECT_GENERIC):
            continue
        if m.group() in ("项目", "工程") and body.endswith(("重大", "重点")):
            continue  # 家具产业重大项目, 实行重大项目: a category, whatever comes before it
        if _PROJECT_COUNT.match(body) or (m.group() == "基地" and _AREA.search(body)):
            continue  # 7个经贸合作项目, 六大产业项目: a count of projects names none; 5000亩有机谷子基地: a field
            # (扎赉特旗10万亩盐碱地综合利用项目 is a name)
        if m.group() == "中心" and (not _CENTRE_WORDS.search(body) or body.endswith("服务")):
            continue
        if m.group() == "项目" and text.startswith(_PROJECT_STAFF, m.end()) and body.endswith(_STAFF_OF):
            continue  # …集团有限公司|项目负责人: a company's project staff (…产业园项目负责人 still names one)
        if _unbalanced(text[start:end]) or _COMPANY_RE.match(text, end) or text.startswith(("有限", "公司"), end):
            continue  # 重庆渝通路桥工程|有限公司 is a company
        found.append((start, end))
    # a later, longer match (…生产基地 after …生产中心——) never overlaps an earlier one here,
    # but 改扩建工程 inside a …项目 can: keep the longest
    found.sort(key=lambda se: (se[0], -se[1]))
    kept: List[tuple] = []
    for s, e in found:
        if kept and s < kept[-1][1]:
            if e - s > kept[-1][1] - kept[-1][0]:
                kept[-1] = (s, e)
            continue
        kept.append((s, e))
    return kept


def _extend_left(text: str, i: int, breaks=_BREAK_CHARS, max_len: int = _MAX_PROJECT_LEN) -> int:
    """Walk left from a suffix over name characters (brackets included), up to punctuation."""
    start, depth = i, 0
    while start > 0 and i - start < max_len:
        ch = text[start - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                break
            depth -= 1
        elif ch in breaks and not (ch == "." and text[start - 2:start - 1].isdigit() and text[start:start + 1].isdigit()):
            break  # a decimal point stays in: 年产1.2亿件…项目
        start -= 1
    return start


def _cut_at_stop(text: str, start: int, suffix_start: int, stops=_LEFT_STOPS, *, keep_last: bool = True) -> int:
    """Move ``start`` past the last verb or phrase that introduces the name (加快建设|江中高速…).

    With ``keep_last`` a stop word right before the suffix belongs to the name (总部建设项目), so it
    does not cut.
    """
    cut = start
    for stop in stops:
        at = text.rfind(stop, start, suffix_start)
        while keep_last and stop in _NAME_TAILS and at >= 0 and at + len(stop) >= suffix_start:
            at = text.rfind(stop, start, at + len(stop) - 1) if at > start else -1
        if at >= 0:
            cut = max(cut, at + len(stop))
    return cut


def _after_unmatched_close(text: str, start: int, end: int) -> int:
    """Where a name may start: after a closing bracket between ``start`` and ``end`` that closes
    nothing opened there (the byline's ）); brackets a name opens and closes itself stay in."""
    depth = 0
    for i in range(start, end):
        if text[i] in "（(":
            depth += 1
        elif text[i] in "）)":
            if depth:
                depth -= 1
            else:
                start = i + 1
    return start


def _unbalanced(name: str) -> bool:
    return name.count("（") + name.count("(") != name.count("）") + name.count(")")


@Language.factory("kg_projects", default_config={"min_body": 3})
def make_projects(nlp: Language, name: str, min_body: int):
    """Add PROJECT entities for named projects; a project name absorbs the company or place it
    starts with (江门宝士制冷有限公司年产350万台…生产项目, 柳南区螺蛳粉产业园二期), except a place in
    front of a company the article names on its own too (江海区|优巨新材…项目: …优巨新材项目…)."""

    def projects(doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        orgs = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "ORG"}
        places = {e.start_char: e.end_char for e in doc.ents if e.label_ == "PLACE"}
        for s, e in find_projects(text, min_body=min_body):
            # a park written as where something is (秦川园区内, 产业园里) is a place, not a project
            where = text.startswith(("内", "里"), e) or text.endswith(_SETTLED_IN, 0, s) \
                or (text.endswith("在", 0, s) and not text.startswith(_BEING_BUILT, e))  # 在洛川县电子商务产业园，
            label = "PLACE" if text.endswith(_PARKS, s, e) and where else "PROJECT"
            rest = _SUFFIX_END.sub("", text[places.get(s, e):e])
            if label == "PROJECT" and rest and _is_generic(rest):
                continue  # 在华|直接投资项目, 柳州|重点项目: a place and a category (平陆运河项目 is a name)
            if text.endswith("中心", s, e) and text.startswith(_PROJECT_STAFF + ("主任", "工作人员"), e):
                label = "ORG"  # 湄潭县茶产业发展中心|负责人: an institution, not a project
            span = doc.char_span(s, e, label=label, alignment_mode="contract")
            if span is None or len(span) == 0 or (text.startswith(_PROJECT_STAFF, e) and (s, e - 2) in orgs):
                continue  # 渝通路桥|项目经理: a company's project staff
            spans.extend(_split_place_prefix(doc, span))
        if spans:
            others = [ent for ent in doc.ents if not any(_overlaps(ent, p) for p in spans)]
            doc.ents = filter_spans(others + spans)
        return doc

    return projects


_PARKS = ("园区", "产业园", "科技园", "工业园", "物流园")
# 在…产业园|建设: the park is what is being built, not where something happens
_BEING_BUILT = ("建设", "项目", "开工", "建成", "竣工", "一期", "二期", "三期", "签约", "规划")
_SETTLED_IN = ("落户", "位于", "入驻", "坐落于", "落地", "带队到", "来到", "走进", "前往")  # 落户|兰州新区化工园区: where


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _split_place_prefix(doc: Doc, span: Span) -> List[Span]:
    """A project keeps the place it is named with (柳南区螺蛳粉产业园二期), but a place before a
    company that the article also names on its own stays apart: 江海区|优巨新材…项目 (…优巨新材项目).
    A park that is a place splits from a new area before it however short: 兰州新区|秦川园区."""
    m = _ADMIN_PREFIX.match(span.text)
    if not m or m.group().endswith(("委", "政府")):
        return [span]
    rest = span.start_char + m.end()
    # 高要区人民医院新院区建设项目 is named after an institution that carries its place: whole; an
    # organisation keeps its place (湄潭县茶产业发展中心), a park too unless after a zone (寿光农产品物流园)
    if _INSTITUTION.match(span.text, m.end()) or span.end_char - rest < 2 or span.label_ == "ORG" \
            or (span.label_ == "PLACE" and not m.group().endswith("新区")):
        return [span]
    if span.label_ == "PROJECT" and (span.end_char - rest < _MIN_SPLIT_REST or not _named_elsewhere(doc_text(doc), rest, span)):
        return [span]
    place = doc.char_span(span.start_char, rest, label="PLACE")
    named = doc.char_span(rest, span.end_char, label=span.label_)
    return [place, named] if place is not None and named is not None else [span]


def _named_elsewhere(text: str, start: int, span: Span, size: int = 4) -> bool:
    """Whether the ``size`` characters at ``start`` stand elsewhere in the text followed by something
    else than here: a name of its own (优巨新材|项目), not the project's name said again."""
    name, after = text[start : start + size], text[start + size : start + size + 1]
    i = text.find(name)
    while i != -1:
        if not span.start_char <= i < span.end_char and text[i + size : i + size + 1] != after:
            return True
        i = text.find(name, i + 1)
    return False


class PhraseRuler(SpanRuler):
    """A span ruler whose phrase patterns are made by the tokenizer alone.

    spaCy's ruler runs every component before it over each phrase pattern, so after ``ner`` the
    whole model ran over the 9,392 gazetteer names at every load (2.7 s of a 3.4 s load; there are 12,942 now). Matching
    on ORTH needs only the tokens."""

    def add_patterns(self, patterns) -> None:
        if self.phrase_matcher_attr not in (None, "ORTH", "TEXT", "LOWER", "NORM"):
            return super().add_patterns(patterns)  # SHAPE, POS …: the components are needed
        with self.nlp.select_pipes(enable=[]):
            super().add_patterns(patterns)


@Language.factory(
    "kg_phrase_ruler",
    assigns=["doc.spans"],
    default_config={  # spaCy's span_ruler defaults
        "spans_key": "ruler", "spans_filter": None, "annotate_ents": False,
        "ents_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}, "phrase_matcher_attr": None,
        "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"}, "validate": False, "overwrite": True,
        "scorer": {"@scorers": "spacy.overlapping_labeled_spans_scorer.v1", "spans_key": "ruler"},
    },
)
def make_phrase_ruler(nlp: Language, name: str, spans_key: Optional[str], spans_filter: Optional[Callable],
                      annotate_ents: bool, ents_filter: Callable, phrase_matcher_attr: Optional[str],
                      matcher_fuzzy_compare: Callable, validate: bool, overwrite: bool,
                      scorer: Optional[Callable]) -> PhraseRuler:
    """Configured as spaCy's ``span_ruler``; kg's model has one as ``kg_gazetteer``."""
    return PhraseRuler(nlp, name, spans_key=spans_key, spans_filter=spans_filter, annotate_ents=annotate_ents,
                       ents_filter=ents_filter, phrase_matcher_attr=phrase_matcher_attr,
                       matcher_fuzzy_compare=matcher_fuzzy_compare, validate=validate, overwrite=overwrite,
                       scorer=scorer)


@registry.misc("kg.new_longest_spans_filter.v1")
def make_new_longest_spans_filter():
    """For kg_gazetteer: on overlap the longer span wins, and on a tie the gazetteer's
    (区卫健局 is an office whatever the model read)."""

    def new_longest(entities: Iterable[Span], spans: Iterable[Span]) -> List[Span]:
        return filter_spans(list(spans) + list(entities))

    return new_longest


# --------------------------------------------------------------------------------------------
# Organisations

# Longest first: 集团有限公司 before 有限公司 before 公司.
# A bare 公司 is left to the model: before it stands as often a clause (即协助公司) as a name.
_COMPANY_RE = re.compile("集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团"
                         "|日报(?!道)|晚报|早报|都市报|商报|时报|报(?=讯)")  # 西双版纳报讯: a paper in its dateline;
# 美国媒体22日报道 (reported on the 22nd) names no paper
_PAPER_END = re.compile("(?:日报|晚报|早报|都市报|商报|时报|报)$")
_COMPANY_BREAKS = _BREAK_CHARS | set("与和及同")
_COMPANY_STOPS = _LEFT_STOPS + ("据", "企业", "辖区", "判决", "起诉", "走访", "联合", "携手", "旗下", "下属", "委托", "中标",
                                "收购", "控股", "入驻", "注册", "成立", "组建", "参股", "投资", "员工", "客户", "控制", "引入",
                                # a party or a role before the name: 原告|苏州锦绣…公司, 食堂运营方|郑州颐乐…公司
                                "原告", "被告", "第三人", "运营方", "承运方", "承建方", "施工方", "建设方", "投资方", "合作方",
                                "供货方", "单位", "创办", "听取", "配合", "会同", "得到", "实现", "授权")
_COMPANY_GENERIC = _GENERIC_WORDS + ("这家", "一家", "多家", "两家", "两个", "这两个", "准军事", "军事",
                                     "社会", "子", "分", "母", "上市", "国有", "民营", "外资",
                                     "合资", "科技", "贸易", "物业", "保险", "证券", "建筑", "运营", "管理", "平台",
                                     "家", "其", "我", "你", "他")
# An entity tagged PLACE that ends like this is the body named after the place (苏州工业园区管委会).
_ORG_ENDINGS = ("管委会", "委员会", "人民政府", "政府", "法院", "检察院", "医院", "学校", "小学", "中学", "大学",
                "合作社", "派出所", "分局", "支队", "大队",
                "学院", "银行", "协会", "商会", "研究院", "研究所", "办事处", "公司", "集团", "局", "党委", "党工委",
                "党支部", "党总支", "供电所")


def find_companies(text: str) -> List[tuple]:
    """Character spans of company names: 宁波汇鑫智能装备股份有限公司, 金多多食品集团.

    >>> t = "由浙江泰昌实业集团有限公司投资，该集团"
    >>> [t[s:e] for s, e in find_companies(t)]
    ['浙江泰昌实业集团有限公司']
    """
    found = []
    for m in _COMPANY_RE.finditer(text):
        if m.group() == "报" and text[m.start() - 1:m.start()] == "本":
            continue  # 本报讯: "this paper", whatever headline runs into it
        start = _cut_at_stop(text, _extend_left(text, m.start(), _COMPANY_BREAKS, 30), m.start(), _COMPANY_STOPS)
        start = _after_unmatched_close(text, start, m.start())
        if text[start - 1:start + 1] in ("被告", "原告"):  # 被 stopped the walk left: 被|告上海贤农…
            start += 1
        body = text[start:m.start()]
        min_body = 3 if m.group() == "集团" else 2
        if len(body) >= min_body and not _is_generic(body, _COMPANY_GENERIC) and not _unbalanced(body):
            found.append((start, m.end()))
    return found


@Language.factory("kg_orgs")
def make_orgs(nlp: Language, name: str):
    """Whole company names over the place the model saw at their start (宁波|汇鑫… -> one ORG);
    a PLACE ending like an organisation (…管委会, …人民医院) is an ORG; 瓯海区 + 委 is 瓯海区委."""

    places: List[set] = []  # the gazetteer's place names, read at the first doc (the ruler loads after this)

    def orgs(doc: Doc) -> Doc:
        text = doc_text(doc)
        if not places:
            places.append(_gazetteer_places(nlp))
        new = []
        model_orgs = [e.start_char for e in doc.ents if e.label_ == "ORG"]
        for s, e in find_companies(text):
            span = doc.char_span(s, e, label="ORG", alignment_mode="contract")
            if span is None or not len(span):
                continue
            if _PAPER_END.search(text, s, e) and any(s < o < e for o in model_orgs):
                continue  # 1998年|人民日报, 会上代表|人民日报编委会: a paper's name is short, and the model's
            new.append(span)
        ents = []
        company_at = {c.end_char: c.start_char for c in new}
        for ent in doc.ents:
            if ent.label_ == "ORG" and 0 < company_at.get(ent.end_char, -1) - ent.start_char <= 2:
                continue  # 被告|上海贤农…有限公司: the company's own left edge, at a word that is no name
            name = text[ent.start_char:ent.end_char]  # Span.text makes a Token per character
            if (ent.label_ == "PLACE" or (ent.label_ == "PERSON" and len(name) >= 4)) \
                    and name.endswith(_ORG_ENDINGS):  # …执法局 read as a name or a place
                ent = Span(doc, ent.start, ent.end, label="ORG")
            elif ent.label_ == "PLACE" and name.endswith(("区", "市", "县", "镇")) \
                    and text.startswith("委", ent.end_char) and not text.startswith("委员", ent.end_char):
                ext = doc.char_span(ent.start_char, ent.end_char + 1, label="ORG")
                ent = ext if ext is not None else ent
            elif ent.label_ == "PLACE" and name.endswith(("区", "市", "县", "镇", "乡", "街道")) \
                    and text.startswith(("政府", "人民政府"), ent.end_char):  # 陈营镇|政府
                ext = doc.char_span(ent.start_char, ent.end_char + (4 if text.startswith("人民", ent.end_char) else 2), label="ORG")
                ent = ext if ext is not None else ent
            elif ent.label_ == "ORG" and _PLACE_NAME.fullmatch(name) and not _a_body_named_like_a_place(name):
                ent = Span(doc, ent.start, ent.end, label="PLACE")  # 滑县|召开…: a place stands for its government
            elif ent.label_ == "ORG" and name[:1] in _ADMIN_SHORT and places[0]:
                ent = _with_place_before(doc, text, ent, places[0])
            ents.append(ent)
        ents = _join_place_and_body(doc, text, _office_after(doc, text, ents))
        ents = [e for e in ents if not _no_body(text, e)]
        short = _short_company_names(doc, text, filter_spans(new + ents), places[0])
        if short:
            ents = [e for e in ents if not any(s.start <= e.start and e.end <= s.end for s in short)] + short
        if new or short or ents != list(doc.ents):
            doc.ents = filter_spans(new + ents)  # on overlap the longer wins; a tie keeps the company
        return doc

    return orgs


_PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
              "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
              "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门")
_COMPANY_END = re.compile("(?:集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|公司)$")
# first two characters that are no company's own name: 中国石油… is not 中国公司, …石油… not 石油公司
_NOT_BRANDS = ("中国", "中华", "全国", "国家", "国际", "石油", "电力", "能源", "电网", "铁路", "交通", "水务", "燃气", "通信",
               "移动", "联通", "电信", "银行", "保险", "证券", "钢铁", "煤炭", "化工", "医药", "食品", "建工", "城投")
# what a company is, after its name: 洪晶新能源|科技, 屯牧农业|开发, 渝通路桥|工程
_TRADE_WORDS = ("科技", "发展", "开发", "实业", "工程", "管理", "服务", "控股", "投资", "建设")


def _short_company_names(doc: Doc, text: str, ents: List[Span], places: set) -> List[Span]:
    """Where an article names a company in full, the short forms it uses after are that company:
    河南豫香食品有限公司 … 豫香食品每年收购; 重庆渝通路桥工程有限公司 … 渝通路桥项目经理;
    上海贤农农业科技有限公司 … 贤农公司. A short form is the name without its place and its
    company ending, then without the trade words that end it, or its first two characters with
    公司 or 集团; never two characters alone. Entities inside a short form give way to it."""
    forms = set()
    for ent in ents:
        name = text[ent.start_char:ent.end_char]
        if ent.label_ != "ORG" or not _COMPANY_END.search(name) or name.endswith(("日报", "晚报")):
            continue
        core = _without_place(_COMPANY_END.sub("", name), places)
        if len(core) < 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in core):
            continue
        brand = core[:2]
        if not (_is_place_word(brand, places) or brand in _NOT_BRANDS or _is_generic(brand, _COMPANY_GENERIC)):
            forms.update((brand + "公司", brand + "集团"))
        while len(core) >= 4:
            forms.add(core)
            trade = next((w for w in _TRADE_WORDS if core.endswith(w)), None)
            if trade is None:
                break
            core = core[: -len(trade)]
    if not forms:
        return []
    taken = _taken(text, ents)
    found = []
    for form in sorted(forms, key=len, reverse=True):
        i = text.find(form)
        while i != -1:
            j = i + len(form)
            # no entity across it or around it (entities inside it give way), and not the start of a
            # longer name (豫香食品有限公司 is the full one)
            crossed = any(e.start_char < j and i < e.end_char and not (i <= e.start_char and e.end_char <= j)
                          for e in ents)
            if not crossed and not taken[i:j].all() and not _COMPANY_END.match(text[j:j + 4]) \
                    and not any(f.start_char < j and i < f.end_char for f in found):
                span = doc.char_span(i, j, label="ORG")
                if span is not None:
                    found.append(span)
            i = text.find(form, j)
    return found


def _is_place_word(head: str, places: set) -> bool:
    return head in _PROVINCES or any(head + end in places for end in ("省", "市", "县", "区"))


def _without_place(name: str, places: set) -> str:
    """河南豫香食品 -> 豫香食品; 广东梅州梅建工程 -> 梅建工程: places off the front while four characters stay."""
    for _ in range(2):
        for k in (4, 3, 2):
            head = name[:k]
            if len(name) - k >= 4 and _is_place_word(head, places):
                name = name[k:]
                break
        else:
            break
    return name


# A body without a name (公司, 社区居委会) and a committee's meeting (区委常委会|会议) are no organisation
_UNNAMED_BODIES = {"公司", "集团", "企业", "政府", "居委会", "村委会", "社区居委会", "管委会", "合作社", "协会", "商会",
                   "医院", "卫生院", "社区卫生院", "学校", "幼儿园", "县医院", "市医院", "区医院", "物业公司",
                   "县里", "市里", "区里", "镇里", "村里"}


def _no_body(text: str, ent: Span) -> bool:
    name = text[ent.start_char:ent.end_char]
    return ent.label_ == "ORG" and (name in _UNNAMED_BODIES or (
        name.endswith("常委会") and text.startswith(("会议", "扩大会议"), ent.end_char)) or (
        name in ("人大", "政协") and text.startswith(("代表", "委员"), ent.end_char)))  # 人大代表 is a title


def _join_place_and_body(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """江门市|蓬江区人民检察院 -> one ORG: a public body is named with the place written right before
    it (a PLACE, then at once an ORG that ends like a body: …法院, …局, …管委会)."""
    out: List[Span] = []
    for ent in ents:
        prev = out[-1] if out else None
        if (prev is not None and prev.label_ == "PLACE" and ent.label_ == "ORG" and prev.end == ent.start
                and len(ent) >= 3 and text[ent.start_char:ent.end_char].endswith(_BODY_ENDINGS)):  # 区委 of 区委书记 is a title
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
        else:
            out.append(ent)
    return out


# An office named right after its place, which the model did not see as one: 古城区|文化和旅游局,
# 九寨沟|风景名胜区管理局, 稀土高新区|党工委; after an organisation only its party committee (贵州大学|党委).
_COMMITTEE_ENDS = ("党工委", "党委", "党总支", "党支部")
# and an institution named after its place: 布拖县|民族中学, 互助县|彩虹盘绣农民专业合作社
_INSTITUTION_ENDS = ("中学", "小学", "学校", "幼儿园", "医院", "卫生院", "合作社")
_COUNTED_BODIES = re.compile(r"[一二两三四五六七八九十几数百千多\d]+[大个家所座]")  # 西安|十大城市党委: bodies counted
_NOT_INSTITUTION = re.compile(r"[一两几数百千多\d]+[家所座个]|[和、各些]")  # 马德里|一家医院, 英格兰和威尔士数百所学校
_OFFICE_ENDING = ("(?:管理局|执法局|局|委员会|管委会|" + "|".join(_COMMITTEE_ENDS + _INSTITUTION_ENDS)
                  + "|办公室|协会|商会|学会)")
_OFFICE = re.compile("[\u4e00-\u9fff]{0,10}?" + _OFFICE_ENDING)
_OFFICE_ENDS = re.compile(_OFFICE_ENDING + "$")
_NOT_OFFICE = ("召开", "举行", "举办", "出台", "发布", "印发", "组织", "开展", "成立", "联合", "会同", "公布", "启动",
               "要求", "提出", "表示", "介绍", "部署", "会议", "全市", "全区", "全县", "全省", "各", "相关", "有关",
               "等", "与", "及", "的", "了", "在", "是", "对", "把", "被", "从", "向", "由", "将", "已", "于", "新格局",
               "格局", "布局", "大局", "全局", "开局", "结局", "变局", "当局", "破局", "时局", "政局", "骗局")
# 乌克兰|局势, 中北部|局部, 美国|应学会: a 局 or 学会 that is part of a word, or a body of fewer than two characters
_NOT_AFTER_OFFICE = ("势", "部", "面", "地", "限", "域", "外", "促")


def _too_short(body: str) -> bool:
    """A body needs two characters before its ending; a party committee needs none (稀土高新区|党工委)."""
    return not body.endswith(_COMMITTEE_ENDS) and _OFFICE_ENDS.search(body).start() < 2


def _office_after(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """A place (or an organisation, for its party committee) and the office written right after it
    become one ORG, unless a verb, a phrase or a person stands between."""
    out: List[Span] = []
    for i, ent in enumerate(ents):
        # (not after a mark the model took in: 上海市投资援建。|总书记…学校)
        m = _OFFICE.match(text, ent.end_char) if ent.label_ in ("PLACE", "ORG") \
            and "\u4e00" <= text[ent.end_char - 1] <= "\u9fff" else None
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if m is None or _too_short(m.group()) or text.startswith(_NOT_AFTER_OFFICE, m.end()) \
                or any(w in m.group() for w in _NOT_OFFICE) or _COUNTED_BODIES.match(m.group()) \
                or (m.group().endswith(_INSTITUTION_ENDS) and _NOT_INSTITUTION.search(m.group())) \
                or (ent.label_ == "ORG" and not m.group().endswith(_COMMITTEE_ENDS)) \
                or (nxt is not None and nxt.start_char < m.end() and nxt.label_ == "PERSON"):
            out.append(ent)
            continue
        span = doc.char_span(ent.start_char, m.end(), label="ORG")
        out.append(span if span is not None else ent)
    # the office swallows what the model saw inside it (稀土高新区 inside …党工委)
    return filter_spans(out) if len(out) > 1 else out


_ADMIN_SHORT = set("省市区县镇州")
# public bodies (not companies: 北京|清华大学 and 广东|华为 stay apart)
_BODY_ENDINGS = ("管委会", "委员会", "人民政府", "政府", "法院", "检察院", "局", "办公室", "中心", "委", "厅", "办")


def _gazetteer_places(nlp: Language) -> set:
    if "kg_gazetteer" not in nlp.pipe_names:
        return set()
    return {p["pattern"] for p in nlp.get_pipe("kg_gazetteer").patterns
            if p.get("label") == "PLACE" and isinstance(p.get("pattern"), str)}


def _with_place_before(doc: Doc, text: str, ent: Span, places: set) -> Span:
    """江门|市交通运输局, 小店|区人民法院: an office read from its 市 or 区 on is named with its place,
    when the characters before and that 市 or 区 spell a known place (江门市, 小店区)."""
    start = ent.start_char
    for k in (4, 3, 2, 1):
        if k <= start and text[start - k:start + 1] in places:
            span = doc.char_span(start - k, ent.end_char, label="ORG")
            return span if span is not None else ent
    return ent


# --------------------------------------------------------------------------------------------
# Places below the county: towns, streets, communities, villages

_LOCAL_PLACE_RE = re.compile("街道|社区|村|镇|乡")
_PLACE_GENERIC = _GENERIC_WORDS + (
    "农", "乡", "城", "全", "本", "该", "进", "驻", "新农", "山", "渔", "城中", "行政", "自然", "贫困", "示范", "各", "每",
    "一", "美丽", "文明", "和美", "宜居", "特色", "特色小", "小", "专业", "淘宝", "明星", "先进", "试点", "重", "古",
    "名", "集", "老旧", "智慧", "和谐", "所在", "周边", "附近", "当地", "村", "社区", "街道", "邻", "外", "邻近", "乡村",
    "红色", "旅游", "生态", "绿色", "数字", "未来", "共富", "强", "弱", "空心", "城乡", "农业", "工业", "商业", "产业",
    "民族", "主要", "小康", "模范", "富裕", "小山", "这座", "那座", "一座",
)
_MAX_PLACE_BODY = 4
_PLACE_BREAKS = _BREAK_CHARS | set("与和及")  # 同 only inside a body: 大同社区, 同安村, not 实现同乡村


def find_local_places(text: str) -> List[tuple]:
    """Spans of towns, streets, communities and villages named before their ending: 外海街道, 东升村.

    The name (two to four characters) must start at a boundary: punctuation, a verb such as 前往,
    a county-level ending (寿光市|门楼镇) or the place just found (外海街道|东升村); and it must
    not be a category (农村, 乡镇, 各村).

    >>> t = "袁加伟前往外海街道东升村调研，走进农村"
    >>> [t[s:e] for s, e in find_local_places(t)]
    ['外海街道', '东升村']
    """
    found: List[tuple] = []
    for m in _LOCAL_PLACE_RE.finditer(text):
        if text.startswith(("(社区)", "（社区）"), m.end()) or text[m.end():m.end() + 1] in _INSIDE:
            continue  # 各村(社区), 探访村内, 众多村民: the word, not a village's name
        if m.group() == "乡" and text[m.end():m.end() + 1] in "村镇土亲愁下贤管":
            continue  # 乡村, 乡镇, 村帐乡管: words
        if m.group() == "村" and text[m.end():m.end() + 1] == "镇":
            continue  # 文明村镇: the word (南蔡村镇 is found from its 镇)
        prev_end = found[-1][1] if found else 0
        # an ethnic township names its people too: 民乐朝鲜族|乡, 虎形山瑶族|乡
        longest = _MAX_PLACE_BODY + (3 if text.endswith("族", 0, m.start()) and m.group() == "乡" else 0)
        for p in range(max(prev_end, m.start() - longest), m.start() - 1):
            body = text[p:m.start()]
            at_boundary = (p == 0 or p == prev_end and found or text[p - 1] in _BREAK_CHARS or text[p - 1] in "与及"
                           or text[p - 1] in "省市区县的" or text.endswith(_PLACE_STOPS, 0, p))
            if (at_boundary and _NAME_CHARS.fullmatch(body) and not _PLACE_BREAKS.intersection(body) and "同" not in body[1:-1]
                    and body[-1] not in _DETERMINERS and not body.startswith("第")
                    and not (m.group() in "村镇" and body[-1] == "乡")  # 建成乡村, 沿海乡镇: words
                    and body[-1] not in "进入"  # “法官进社区”: a campaign, not a place
                    and not (m.group() == "村" and body[-1] == "农")  # 培训农村, 偏远农村: the word 农村
                    and "委" not in body and "不" not in body and body[0] not in _ADVERB_STARTS  # 乡党委同村, 仅郑口镇, 小事不出村
                    and not _COUNT_BEFORE.search(body)
                    and not (m.group() == "乡" and body[-1] in "下家")  # 送戏下乡, 三下乡: campaigns; 家乡
                    and not (m.group() == "乡" and body[-1] == "之")  # 民歌之乡, 鱼米之乡: a region's fame
                    and not (m.group() in "村乡" and body[-1] in "治绕爱走驻回返离包")  # 民主治村, 溪水绕村, 爱国爱乡
                    and not (body[0] in "省市县区镇乡村组队" and body[1:2] in "联扩并撤合")  # 队联村, 乡扩镇 (市桥街道 is one)
                    and not (m.group() in "镇乡" and body[-1] == "城" and len(body) > 2)  # 全国城乡, 中小城镇
                    and not _COUNTED_LEVELS.match(body)  # 三县市
                    and not _ADMIN_INSIDE.search(body, 1)  # 和|龙市东城镇: 东城 is the town's name
                    and (not body.startswith(_PLACE_STOPS) or body in _VILLAGE_NAMES)
                    and not _is_generic(body, _PLACE_GENERIC)):
                found.append((p, m.end()))
                break
    return found


_ADVERB_STARTS = set("仅就也还都又再才即便将均各")
_COUNTED_LEVELS = re.compile("[一二两三四五六七八九十几数多各]+[省市县区镇乡]*$")
_COUNT_BEFORE = re.compile("[两三四五六七八九十几数多各]$")  # 郑口、饶阳店两镇: a count of places, not a name
_VILLAGE_NAMES = ("联合", "建设", "新建")  # words that cut elsewhere, and name many villages: 联合村, 建设村
_LOCAL_BODIES = ("党总支部",) + _COMMITTEE_ENDS + ("村委会", "居委会", "村民委员会", "居民委员会", "人民政府", "政府")  # longest first
_DETERMINERS = "各全本该每这那此其"
_ADMIN_INSIDE = re.compile("[省市县区]")
_INSIDE = set("内里中民委级干务办居史庄上妇医官")  # 村内, 村民, 村庄, 镇上, 村妇: the word, not a place
_PLACE_STOPS = _LEFT_STOPS + ("走进", "深入", "来到", "来自", "位于", "地处", "前往", "赴", "到", "至", "对照", "驻", "住在", "家住", "使",
                              "组织", "联合", "串联", "带动", "辐射", "途经", "据", "周边", "通达")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff]+")


@Language.factory("kg_places")
def make_places(nlp: Language, name: str):
    """Add towns, streets, communities and villages the model missed; the model's span wins an
    overlap unless it is shorter, or a person (陈埭镇 read as a name)."""

    known: List[set] = []  # the gazetteer's place names, read at the first doc

    def places(doc: Doc) -> Doc:
        text = doc_text(doc)
        if not known:
            known.append(_gazetteer_places(nlp))
        before = list(doc.ents)  # read and written once: each costs a Span or a check per entity
        ents = _regions(doc, text, _whole_place_names(doc, text, _mend_places(doc, text, before), known[0]))
        ents = _misread_places(doc, text, _country_pairs(doc, text, ents), known[0])
        new = []
        for s, e in find_local_places(text):
            # its party committee or residents' committee right after it: 光东村|党支部书记 (kg_orgs ran before)
            body = next((b for b in _LOCAL_BODIES if text.startswith(b, e)), "")
            span = doc.char_span(s, e + len(body), label="ORG" if body else "PLACE", alignment_mode="contract")
            if span is not None and len(span):
                new.append(span)
        if new:
            people = [e for e in ents if e.label_ == "PERSON"]
            # a model's 江南街道竹苑社区 that the rules read as 江南街道 + 竹苑社区: two places
            others = [e for e in ents if e.label_ != "PERSON" and not _tiled(e, new)]
            ents = filter_spans(others + new + people)
        if ents != before:
            doc.ents = ents
        return doc

    return places


# Countries and regions written with one character when two or three are named together: 中俄关系, 美英澳,
# 港澳. Their full names for the characters that name one country only (巴, 乌, 伊, 新, 瑞, 阿 and 澳 name several).
ABBREVIATIONS = {
    "中": "中国", "华": "中国", "美": "美国", "俄": "俄罗斯", "英": "英国", "法": "法国", "德": "德国", "日": "日本",
    "韩": "韩国", "朝": "朝鲜", "印": "印度", "欧": "欧洲", "亚": "亚洲", "非": "非洲", "泰": "泰国", "越": "越南",
    "老": "老挝", "柬": "柬埔寨", "缅": "缅甸", "蒙": "蒙古", "哈": "哈萨克斯坦", "吉": "吉尔吉斯斯坦",
    "塔": "塔吉克斯坦", "土": "土耳其", "以": "以色列", "埃": "埃及", "沙": "沙特阿拉伯", "加": "加拿大",
    "菲": "菲律宾", "马": "马来西亚", "意": "意大利", "西": "西班牙", "葡": "葡萄牙", "荷": "荷兰", "比": "比利时",
    "挪": "挪威", "芬": "芬兰", "丹": "丹麦", "波": "波兰", "捷": "捷克", "匈": "匈牙利", "希": "希腊", "墨": "墨西哥",
    "古": "古巴", "叙": "叙利亚", "黎": "黎巴嫩", "约": "约旦", "港": "香港", "台": "台湾",
}
_PAIRED = (set(ABBREVIATIONS) - {"华"}) | set("巴乌伊瑞阿澳")  # not 华 (华西, 华沙) or 新 (新港)
_ONE_PLACE = ("中华", "巴黎", "蒙古", "古巴", "巴哈马", "台中", "西澳", "巴西", "加沙", "中亚", "西亚", "西非", "西沙",
              "西欧", "西德", "巴新", "沙巴")  # names, not pairs


def _country_pairs(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """中俄 read as one place is two: 中 and 俄 (the corpora's annotation too); 巴西, 加沙 and 中亚 are one."""
    out = []
    for ent in ents:
        name = text[ent.start_char:ent.end_char]
        if ent.label_ == "PLACE" and 2 <= len(name) <= 4 and all(c in _PAIRED for c in name) \
                and name not in _ONE_PLACE and len(set(name)) == len(name) \
                and not text.startswith(("国家", "地区", "各国"), ent.end_char):  # 中欧国家: a region
            parts = [doc.char_span(i, i + 1, label="PLACE") for i in range(ent.start_char, ent.end_char)]
            if all(p is not None for p in parts):
                out.extend(parts)
                continue
        out.append(ent)
    return out


_FEATURES = set("湖河江山海岛湾港峰")
_REGION_NAME = "[\u4e00-\u9fff]{2,8}?(?:特别行政区|自治区|省|市|县|区)"
_ELECTS = re.compile(f"({_REGION_NAME})(选举|应选)(第[一二三四五六七八九十]+届.+)$")
_LAW_OF = re.compile(f"({_REGION_NAME})(?:法律|基本法)$")
_COUNTRIES = set(ABBREVIATIONS.values()) - {"欧洲", "亚洲", "非洲", "香港", "台湾"}


def _misread_places(doc: Doc, text: str, ents: List[Span], known: set) -> List[Span]:
    """Places the model read as people or organisations. A "person" that starts with a known place of three
    characters and more is that place, with a lake, river or mountain after it (马拉维湖), or without what
    follows (马拉维人); an "organisation" that is a country's name alone (中国, 中国驻) is the country; one that
    is a place's law is the place, and a place electing an assembly is the place and the assembly."""
    out = []
    for ent in ents:
        name = text[ent.start_char:ent.end_char]
        if ent.label_ == "ORG" and name.rstrip("驻") in _COUNTRIES:
            # 两名中国|女青年, 中国驻|墨西哥大使: a country, not its government
            span = doc.char_span(ent.start_char, ent.start_char + len(name.rstrip("驻")), label="PLACE")
            if span is not None:
                out.append(span)
                continue
        m = _ELECTS.match(name) if ent.label_ == "ORG" else None
        if m:  # 香港特别行政区|选举|第九届全国人民代表大会: the place that elects, and the assembly
            place = doc.char_span(ent.start_char, ent.start_char + m.end(1), label="PLACE")
            body = doc.char_span(ent.start_char + m.start(3), ent.end_char, label="ORG")
            if place is not None and body is not None:
                out += [place, body]
                continue
        m = _LAW_OF.match(name) if ent.label_ == "ORG" else None
        if m:  # 香港特别行政区法律, 香港特别行政区基本法: a law, and the place whose law it is
            place = doc.char_span(ent.start_char, ent.start_char + m.end(1), label="PLACE")
            if place is not None:
                out.append(place)
                continue
        if ent.label_ == "PERSON" and len(name) >= 3:
            k = next((k for k in range(len(name), 2, -1) if name[:k] in known), 0)
            if k:
                end = ent.end_char if k == len(name) or (k == len(name) - 1 and name[-1] in _FEATURES) \
                    else ent.start_char + k
                span = doc.char_span(ent.start_char, end, label="PLACE")
                if span is not None:
                    out.append(span)
                    continue
        out.append(ent)
    return out


# What follows a city or district name and makes a place of its own with it: 江门高新区, 大连港.
_ZONE_RE = re.compile("国家级高新区|高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|新区|片区|港区|自贸区|保税区"
                      "|综合保税区|国际机场|机场|港")
# a landmark's own ending after a name that has none (平遥|古城, 磨盘山|码头); not after a city or a port
# (丽江市|古城区 is a district, 岳阳港|码头 the port's wharves)
_LANDMARK_RE = re.compile("古城(?!区)|古镇|码头|石窟|湿地公园|森林公园|口岸")
_ADMIN_ENDS = ("省", "市", "区", "县", "镇", "乡", "街道")
# a place's name alone (滑县, 鄂托克旗, 梁赞州) read by kg_orgs as its government; not 盟: 欧盟, 东盟, 联盟
_PLACE_NAME = re.compile("[\u4e00-\u9fff]{1,6}(?:" + "|".join(_ADMIN_ENDS + ("旗", "州")) + ")")


def _a_body_named_like_a_place(name: str) -> bool:
    """Japan's ministries end in 省 (大藏省, 外务省) and a club's district in 区 (国际扶轮港澳区): bodies, not places."""
    return name.startswith("国际") or (name.endswith("省") and name[:-1] not in _PROVINCES)


# 来自|爱路街道, 组织|青堆镇, 联合|蓟州区人民医院: the model took the verb in
_LEADING_VERBS = ("来自", "位于", "地处", "前往", "来到", "走进", "组织", "联合", "串联", "带动", "辐射", "深入", "赶赴",
                  "奔赴", "途经", "听取", "会同", "配合", "邀请", "据", "周边", "通达")
_DEPARTMENT = re.compile("医院[\u4e00-\u9fff]{0,4}(?:门诊|科|病区|病房)$")
_ONE_CHAR_PLACES = set("村镇乡港湾岛山湖河江域场")  # what may follow a district as a place of its own: 区|港, 市|湾
# a zone with a name of its own after a place named without its ending: 昆明|长水国际机场, 包头|稀土高新区
_NAMED_ZONE_RE = re.compile("[\u4e00-\u9fff]{0,3}?(?:国际机场|机场|高新区|经济技术开发区|经济开发区|开发区)"
                            "|风景名胜区|风景区|景区")
_ROAD_ENDS = ("大街", "大道", "路", "街", "巷")  # 卜奎大街 read as a name
_SPLIT_AT = re.compile("(?<=[省市区县州盟旗])|(?<=街道)")  # 州, 盟, 旗 after three characters: not 广州|市


def _mend_places(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """Fix the model's usual place slips: 江门|高新区 -> 江门高新区, 北仑区小港街道 -> 北仑区 +
    小港街道, a district read as a person (番禺区) -> PLACE, a district run on by a character
    (库尔勒市|香梨) or into 区域 cut back, a verb taken in dropped (来自|爱路街道), a people
    (朝鲜|族) no place."""
    out, changed, i = [], False, 0
    while i < len(ents):
        ent = ents[i]
        name = text[ent.start_char:ent.end_char]
        mark = max(name.rfind(p) for p in "，。；：！？、")
        if mark >= 0:  # 宣纸文化园二期建设，串联丁家桥镇: no name runs over a comma
            after = doc.char_span(ent.start_char + mark + 1, ent.end_char, label=ent.label_)
            changed = True
            if after is None or len(name) - mark - 1 < 2:
                i += 1
                continue
            ent, name = after, name[mark + 1:]
        if ent.label_ == "PLACE" and len(name) > 2 and name.endswith("乡镇"):
            changed, i = True, i + 1  # 沿海乡镇, 各乡镇: a category
            continue
        if ent.label_ == "PLACE" and (text.startswith("族", ent.end_char)
                                      or (len(name) == 1 and text[ent.start_char - 1:ent.start_char] == "援")):
            changed, i = True, i + 1  # 朝鲜|族, 援|藏干部: a people and a short word, not places
            continue
        lead = next((v for v in _LEADING_VERBS if name.startswith(v) and len(name) - len(v) >= 2), None)
        unled = doc.char_span(ent.start_char + len(lead), ent.end_char, label="PLACE") if lead else None
        if unled is not None and (ent.label_ == "PLACE" or ent.label_ == "ORG" and (
                _ADMIN_PREFIX.match(name[len(lead):]) or name[len(lead):len(lead) + 2] in _PROVINCES
                or _BARE_COMMITTEE.search(name[len(lead):]))):  # 听取|镇党委
            ent, name, changed = Span(doc, unled.start, unled.end, label=ent.label_), name[len(lead):], True
        if ent.label_ == "PERSON" and len(name) >= 3 and (
                name.endswith(_ADMIN_ENDS) or (len(name) >= 4 and name.endswith(_ROAD_ENDS))):
            ent, changed = Span(doc, ent.start, ent.end, label="PLACE"), True
        elif ent.label_ == "ORG" and name.endswith(_ADMIN_ENDS + ("村", "社区")) and len(name) >= 3 \
                and not name.endswith(("校区", "院区", "厂区")) and not _a_body_named_like_a_place(name):
            ent, changed = Span(doc, ent.start, ent.end, label="PLACE"), True  # 濮阳县文留镇 has no body: places
        elif ent.label_ in ("PLACE", "ORG") and (dept := _DEPARTMENT.search(name)) \
                and (cut := doc.char_span(ent.start_char, ent.start_char + dept.start() + 2, label="ORG")) is not None:
            ent, changed = cut, True  # 隆回县人民医院|心内科门诊
        elif ent.label_ == "PLACE" and len(name) >= 3 and name.endswith("市") and text.startswith("场", ent.end_char) \
                and (cut := doc.char_span(ent.start_char, ent.end_char - 1, label="PLACE")) is not None:
            ent, changed = cut, True  # 深圳|市场: the market, not the city's 市
        elif ent.label_ == "ORG" and name.endswith("报讯") and len(ent) > 3:
            ent, changed = Span(doc, ent.start, ent.end - 1, label="ORG"), True  # 贵阳日报|讯, the dateline word
        elif ent.label_ == "PLACE" and len(name) >= 4 and name[-2] in "省市区县" and name[-1] == "委":
            ent, changed = Span(doc, ent.start, ent.end, label="ORG"), True  # 加格达奇区委: a party committee
        elif ent.label_ == "PLACE" and len(name) >= 4 and (name[-2] in "省市区县" or name[-3:-1] == "街道") \
                and name[-1] not in _ONE_CHAR_PLACES \
                and (cut := doc.char_span(ent.start_char, ent.end_char - 1, label="PLACE")) is not None:
            ent, changed = cut, True  # 库尔勒市|香梨, 外海街道|网格员
        elif ent.label_ == "PLACE" and name.endswith("区") and text.startswith("域", ent.end_char):
            changed = True  # 临海区|域, 江门区|域: the region of a place, 区域, is no district
            ent = doc.char_span(ent.start_char, ent.end_char - 1, label="PLACE") if len(name) >= 3 else None
            if ent is None:
                i += 1
                continue
        if ent.label_ == "PLACE":
            zone = _ZONE_RE.match(text, ent.end_char)
            if zone is None and not name.endswith(_ADMIN_ENDS + ("州", "港", "旗")):
                zone = _LANDMARK_RE.match(text, ent.end_char)
            if zone is None and not name.endswith(_ADMIN_ENDS + ("州",)) \
                    and not (i + 1 < len(ents) and ents[i + 1].start_char < ent.end_char + 6):
                zone = _NAMED_ZONE_RE.match(text, ent.end_char)  # 昆明|长水国际机场, 太阳岛|风景区
                if zone and not all(_name_char(c) and c not in "两几多各" for c in text[ent.end_char:zone.end()]):
                    zone = None  # 佛山等机场, 北京两机场
            if zone and not text.startswith(("港口", "港澳", "区域", "区内", "新区建设"), ent.end_char):
                longer = doc.char_span(ent.start_char, zone.end(), label="PLACE")
                if longer is not None:
                    while i + 1 < len(ents) and ents[i + 1].start < longer.end:
                        i += 1  # 芜湖|经开区 read as two places: one now
                    ent, changed = longer, True
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            if nxt is not None and nxt.label_ == "PLACE" and nxt.start_char == ent.end_char \
                    and text.endswith("机场", 0, nxt.end_char) \
                    and not text.endswith(_ADMIN_ENDS + ("州", "盟", "旗", "国"), ent.start_char, ent.end_char) \
                    and (joined := doc.char_span(ent.start_char, nxt.end_char, label="PLACE")) is not None:
                ent, changed, i = joined, True, i + 1  # 桂林|两江国际机场, 青岛|胶东国际机场: the airport's name
                # (a country or a prefecture before it is where it is: 韩国|仁川国际机场, 甘孜州|康定贡嘎机场)
            pieces = _split_place(doc, text, ent)
            if len(pieces) > 1:
                out.extend(pieces)
                changed = True
                i += 1
                continue
        out.append(ent)
        i += 1
    return filter_spans(out) if changed else ents


_FUNCTION_CHARS = set("将把被让使给向在到从对为于至经由自往及与和同跟或并的了是")


def _whole_place_names(doc: Doc, text: str, ents: List[Span], known: set) -> List[Span]:
    """A place the model began a character or two late: 和|龙市 when 和龙市 is a known place, and a
    town right after another place with one character between (乌审旗|嘎|鲁图镇): that character is
    the town's, unless it is a word of its own (深圳市|将|沙坪镇…)."""
    ents = list(ents)
    for i, ent in enumerate(ents):
        if ent.label_ != "PLACE":
            continue
        s, e = ent.start_char, ent.end_char
        free = ents[i - 1].end_char if i else 0
        start = next((s - k for k in (2, 1) if s - k >= free and text[s - k:e] in known), None)
        if start is None and s - 1 == free and i and ents[i - 1].label_ == "PLACE" and e - s >= 3 \
                and text.endswith(("镇", "乡", "村"), 0, e) and _name_char(text[s - 1]) \
                and text[s - 1] not in _FUNCTION_CHARS:
            start = s - 1
        if start is not None:
            longer = doc.char_span(start, e, label="PLACE")
            if longer is not None:
                ents[i] = longer
    return ents


# Regions that span provinces or cut across them, named without an ending; longest first
REGIONS = ("粤港澳大湾区", "京津冀", "长三角", "珠三角", "粤港澳", "长株潭", "成渝", "东南亚", "鲁西南", "粤西", "粤东",
           "粤北", "苏南", "苏北", "浙南", "浙北", "闽南", "闽东", "川西", "陕北", "陕南", "关中", "湘西", "鄂西",
           "豫西", "滇西", "晋南", "华北", "华南", "华东", "华中", "拉美", "北美", "南美", "中亚", "西欧", "东欧", "北欧")
_REGION_RE = re.compile("|".join(REGIONS))
_REGION_DESCRIPTORS = ("地区", "九市", "一带", "方向", "区域")


def _regions(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """京津冀地区 read as 京 + 津冀地区 (or 津冀 as a person), 粤|西, 长三角|地区, 珠三角|九市: a region is a place of its own,
    without the descriptor after it; not inside an organisation's name (华东师范大学)."""
    found = []
    for m in _REGION_RE.finditer(text):
        s, e = m.span()
        inside = [x for x in ents if x.start_char < e and s < x.end_char]
        if not inside and e - s == 2:
            continue  # two characters the model saw no place in: 相关中成药 holds 关中
        if any(x.label_ not in ("PLACE", "PERSON") or x.start_char < s or (x.start_char, x.end_char) == (s, e)
               or (x.end_char > e and not text.startswith(_REGION_DESCRIPTORS, e)) for x in inside):
            continue  # inside a name or a longer place (华南理工大学), or found already
        span = doc.char_span(s, e, label="PLACE")
        if span is not None:
            found.append(span)
    return _put_over(ents, found)


def _split_place(doc: Doc, text: str, ent: Span) -> List[Span]:
    """北仑区小港街道 -> [北仑区, 小港街道]: a place name written after the place that holds it."""
    name = text[ent.start_char:ent.end_char]
    for m in _SPLIT_AT.finditer(name):
        cut = m.start()
        left, rest = name[:cut], name[cut:]
        if left[-1] in "州盟旗" and len(left) < 3:
            continue
        village = len(rest) == 2 and rest.endswith("村") and left.endswith(("镇", "乡", "街道"))  # 卞庄街道|代村
        town = len(rest) == 2 and rest.endswith(("镇", "乡")) and rest not in ("城镇", "乡镇", "村镇", "集镇", "城乡")  # 浙江省|乌镇
        if len(left) >= 2 and (len(rest) >= 3 or village or town) and rest.endswith(_ADMIN_ENDS + ("村", "社区") + _ROAD_ENDS) \
                and not rest.startswith(("委", "政府", "人民")):
            a = doc.char_span(ent.start_char, ent.start_char + cut, label="PLACE")
            if a is None:
                break
            b = Span(doc, a.end, ent.end, label="PLACE")
            return [a] + _split_place(doc, text, b)
    return [ent]


def _tiled(ent: Span, pieces: List[Span]) -> bool:
    inside = [p for p in pieces if ent.start <= p.start and p.end <= ent.end]
    return (ent.label_ == "PLACE" and len(inside) > 1 and inside[0].start == ent.start and inside[-1].end == ent.end
            and all(a.end == b.start for a, b in zip(inside, inside[1:])))


# --------------------------------------------------------------------------------------------
# Names and roles

TITLES = (
    "书记", "副书记", "主任", "副主任", "区长", "副区长", "市长", "副市长", "县长", "副县长", "省长", "副省长", "镇长",
    "乡长", "村长", "街道办主任", "局长", "副局长", "厅长", "副厅长", "处长", "科长", "部长", "副部长", "主席", "副主席",
    "委员", "常委", "总理", "副总理", "董事长", "副董事长", "董事", "总经理", "副总经理", "经理", "总裁", "副总裁",
    "行长", "院长", "副院长", "校长", "副校长", "所长", "站长", "社长", "总编辑", "秘书长", "会长", "副会长",
    "理事长", "负责人", "创始人", "CEO", "网格员", "专职网格员", "队长", "支队长", "大队长", "教授", "研究员",
    "医生", "护士", "工程师", "记者", "通讯员", "主持人", "检察长", "庭长", "法官", "警官", "民警", "大使",
    "首相", "总统", "外长", "大臣", "国务卿", "议员", "团长", "审判长", "审判员", "检察官", "律师",
)
_TITLE_ANY = re.compile("|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)))
_TITLE_RE = re.compile("(?:" + _TITLE_ANY.pattern + ")$")
_ROLE_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]+$")
_MAX_ROLE = 10
_SHORT_ROLE = 6


@Language.factory("kg_names")
def make_names(nlp: Language, name: str):
    """Strip a leading title from PERSON entities and keep it as the person's role.

    The role is the title-ending text between the person and whatever precedes it (punctuation
    or another entity): 深圳市芯联电股份有限公司[ORG]董事长郑建国 -> role 董事长.
    """

    def names(doc: Doc) -> Doc:
        text = doc.user_data.pop(_TEXT_KEY, None)
        if text is None:
            text = doc.text
        ents = [_without_credit(doc, text, e) for e in (_trim(text, e) for e in doc.ents) if e is not None]
        ents = [part for e in ents for part in _split_at_spaces(doc, text, e)]
        ents = [e for e in (_title_committee(doc, text, e) for e in ents) if e is not None]
        ents = _byline_people(doc, text, _dotted_names(doc, text, ents))
        ents = _put_over(ents, _runs_of_names(doc, text, ents))
        taken = _taken(text, ents)  # one mask for the three finders below; each marks what it adds
        ents = ents + _titled_names(doc, text, taken)
        ents = ents + _listed_people(doc, text, ents, taken)
        ents = ents + _listed_after(doc, text, ents, taken)
        ents = ents + _named_again(doc, text, ents, taken)
        starts = sorted(e.start_char for e in ents)
        people = {text[e.start_char:e.end_char] for e in ents if e.label_ == "PERSON"}
        out = []
        for ent in sorted(ents, key=lambda e: e.start):
            if ent.label_ != "PERSON":
                out.append(ent)
                continue
            ent = _strip_title(doc, text, ent)
            if ent is None or _side_of_a_country(text, ent):
                continue
            ent = _whole_name(doc, text, ent, ents)
            ent = _as_named_elsewhere(doc, text, ent, people, ents)
            role = _role_before(text, ent.start_char, starts)
            if role:
                ent[0]._.kg_role = role
                # 区委 of 区委书记 is part of the title, not an organisation named in the sentence; 外交部 of
                # 外交部副部长 and 新华社 of 新华社记者 name one
                role_start = ent.start_char - len(role)
                out = [e for e in out if not (e.label_ == "ORG" and e.start_char >= role_start
                                              and e.end_char - e.start_char <= 3
                                              and _BARE_BODY.match(text, e.start_char, e.end_char))]
            out.append(ent)
        doc.ents = filter_spans(out)  # the finders never overlap; should one slip, no text may stop a build
        return doc

    return names


# Common surnames (single and double), minus those that are everyday words after a title
# (明确, 时间, 和; 关 of 总书记关于党的…, 群众关切): a name written right after a title is found even where the
# model missed it. 高 is in: 高度 and 高兴 never end before a verb of speech or a mark (高兴地说).
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛"
    "樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛翁冉骆蓝"
    "游辛靳管柴蒙鲍喻祁蒲房滕屈饶解牟艾尤穆农卓古吉缪简车项芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟"
    "邬边卞姬仇栾隋刁荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝逯郇撒谌宓於战玄海习"
    "赖蒯阚仉亓訾禚蹇郗奚邰鄢眭冼芮揭钮鞠羊"
    "高傅阎洪朴茅储昝檀庹栗匡汲郜隗雒佴笪逄郄亢妥骞厉晁缑闾")
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "司徒", "夏侯",
                    "端木", "呼延", "宇文", "长孙", "南宫", "独孤", "申屠", "钟离")
_NOT_IN_NAME = set("的了在和与是说称等及地得着过也都就把被对向从到为这那其该各每本此我你他她们表示介绍将或围")
_AFTER_NAME = re.compile(r"(?:介绍|表示|说|指出|强调|告诉|认为|透露|坦言|带领|主持|参加|出席|一行|等人|等|率队|率领|首先|主编|摄"
                         r"|带头|带队|驻村|已"
                         r"|今天|昨天|近日|日前|今年|去年|目前|正在|已经|一直|先后|亲自|专门|分别|一同|陪同"
                         r"|同志|先生|女士|组织|当庭|一边|笑着|在|的|和|与|及|[、，。：；！？“”（）\s]|$)")


_BARE_BODY = re.compile("[省市区县镇乡村州街]|党|支部|纪委|执委")  # 区委, 镇党委, 党组, 纪委: no body of its own
_ADVERBS = set("则却仍又还便再刚")  # 杨军|则正在, 扎西顿珠|刚做完: no further character of a name


def _name_char(ch: str) -> bool:
    """A character that can stand in a given name: a CJK ideograph that is no particle or verb."""
    return "\u4e00" <= ch <= "\u9fff" and ch not in _NOT_IN_NAME


def _whole_name(doc: Doc, text: str, ent: Span, ents: List[Span]) -> Span:
    """温嘉|豪介绍 -> 温嘉豪, 萨仁|其其格介绍 -> 萨仁其其格: a name the model cut short, when the
    characters after it are name characters up to a verb of speech, a particle or punctuation
    (and belong to no other entity). A name that starts with a common surname is a Han name of
    at most three characters; others (Mongolian, Tibetan, Yi, transliterated) run to six, with
    characters that such names are written with (萨仁|其其格, not 习近平|最后)."""
    start, end = ent.start_char, ent.end_char
    if text[start] in _SURNAMES:
        room, chars = {1: 2, 2: 1}.get(end - start, 0), None  # a surname alone (冯|至先生, 沈|大力) or cut short
    else:
        room, chars = (min(3, _LONG_NAME - (end - start)) if end - start >= 2 else 0), _TRANSLITERATION
    k = end
    while k < len(text) and k - end < room and text[k] not in _ADVERBS \
            and (_name_char(text[k]) if chars is None else text[k] in chars) \
            and not (_AFTER_NAME.match(text, k) or _TITLE_ANY.match(text, k)
                     or (end - start > 1 and _NOT_NAME_AFTER.match(text, k))):  # 孙|家正: 家 in a given name
        k += 1
    if k == end or not _AFTER_NAME.match(text, k) or any(e.start_char < k and end < e.end_char for e in ents):
        return ent
    if end - start == 1 and k - end == 1 and text[end] in _KIN_AFTER_SURNAME:
        return ent  # 侯老, 郑某, 孙家: how someone is called by the surname (孙家正 is a name)
    longer = doc.char_span(start, k, label="PERSON")
    return longer if longer is not None else ent


_KIN_AFTER_SURNAME = set("老某家氏总哥姐叔嫂婆爷伯公姨")
_LONG_NAME = 6
# Characters of Mongolian, Tibetan, Yi, Uyghur and foreign names written in Chinese
_TRANSLITERATION = set(
    "阿艾巴拜贝比布达丹德迪多厄恩尔法菲弗福嘎盖冈戈格古哈汗赫吉加杰卡坎克库拉莱赖兰勒雷里利林隆卢鲁伦罗洛马玛迈曼"
    "梅蒙米敏莫姆穆纳娜奈尼涅努诺帕佩普奇齐乔切琴丘热萨塞桑瑟沙舍什斯苏索塔泰坦特提图托瓦旺威维沃乌西希夏谢辛"
    "雅亚耶伊因尤约扎泽卓仁珠措堆旦增曲珍让才央嘎次顿朗琼益群宗娃其日呼雅包宝音敖登钦呷且各俄木东周伍苦")
# what follows a name and is no part of it: 拜登|政府, 普京|总统, 巴特尔|一家
_NOT_NAME_AFTER = re.compile("政府|家族|团队|一家|夫妇|家|们|本人|自己|老人|大叔|大爷|阿姨|大姐|大哥|师傅|老师|医生|书记|主任")


def _taken(text: str, ents: List[Span]) -> numpy.ndarray:
    """Per character of ``text``, whether an entity already covers it."""
    taken = numpy.zeros(len(text) + 1, dtype=bool)
    for e in ents:
        taken[e.start_char:e.end_char] = True
    return taken


# 田野、黄杨玉珍、战国强等20名 | 马者斗、卢梭门等人: the names of a list that counts people


def _listed_people(doc: Doc, text: str, ents: List[Span], taken: numpy.ndarray) -> List[Span]:
    """The names of a list that ends in 等N名 (or 等人, 等同志), which the model missed.

    Each item, back from 等 and then from each 、 before it, is a run of name characters: a Han
    name (a surname, at most three characters, four with two surnames: 黄杨玉珍) or one written
    with the characters of transliterated names (格桑旺堆, 才仁多杰). The first item ends at
    punctuation, a title, a word for people or an entity. 党员、群众等200余人 lists no names."""
    if "等" not in text:
        return []
    people = {(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"}
    found = []
    for m in _COUNTED.finditer(text):
        end = m.start()
        while end > 0:
            start = end
            while start > 0 and end - start < _LONG_NAME and _list_char(text[start - 1]) \
                    and not _titled_at(text, start):
                start -= 1
            item = text[start:end]
            bounded = start == 0 or not _list_char(text[start - 1]) or _titled_at(text, start)
            if not bounded or not _listed_name(item):
                break
            if (start, end) not in people:  # one the model found already is a name of the list too
                if taken[start:end].any():
                    break
                span = doc.char_span(start, end, label="PERSON")
                if span is not None:
                    found.append(span)
                    taken[start:end] = True
            if start == 0 or text[start - 1] != "、":
                break
            end = start - 1
    return found


_PLACE_LIST_ENDS = ("等地", "等国", "等省", "等市", "等县", "等区", "等乡", "等镇", "等村", "等城")


def _side_of_a_country(text: str, ent: Span) -> bool:
    """伊方, 尼方, 乌军, 伊核: a country's side, army or nuclear file read as a person (no surname starts them)."""
    name = text[ent.start_char:ent.end_char]
    return len(name) == 2 and name[1] in "方军核" and name[0] not in _SURNAMES


def _as_named_elsewhere(doc: Doc, text: str, ent: Span, people: set, ents: List[Span]) -> Span:
    """A person cut short where the article names them in full elsewhere: 网格员邓群好根据… then
    邓群|好告诉记者 -> 邓群好 (never over another entity)."""
    name = text[ent.start_char:ent.end_char]
    longer = [p for p in people if len(name) < len(p) <= len(name) + 2 and p.startswith(name)
              and text.startswith(p, ent.start_char)]
    if longer:
        end = ent.start_char + len(max(longer, key=len))
        if not any(ent.end_char <= o.start_char < end for o in ents):
            span = doc.char_span(ent.start_char, end, label="PERSON")
            if span is not None:
                return span
    return ent


def _listed_after(doc: Doc, text: str, ents: List[Span], taken: numpy.ndarray) -> List[Span]:
    """The names listed after a person, each after a 、 and before what may follow a name:
    县领导桑玉洁、毛振国、寇德民参加会议 -> 毛振国, 寇德民 (桑玉洁 found after 领导)."""
    found = []
    for ent in sorted((e for e in ents if e.label_ == "PERSON"), key=lambda e: e.start_char):
        pos = ent.end_char
        while text.startswith("、", pos):
            start = pos + 1
            ends = range(start + 2, min(start + 4, len(text)) + 1)
            # the list's own marks first: 饶子和、周慕冰 (和 may end a name too), then what follows a name
            marked = next((k for k in ends if text[k:k + 1] in "、，。；等" and _listed_name(text[start:k])
                           and all("\u4e00" <= c <= "\u9fff" for c in text[start:k])), None)
            end = marked or next((k for k in ends if _AFTER_NAME.match(text, k) and _listed_name(text[start:k])
                                  and all(map(_name_char, text[start:k]))), None)
            if end is None or taken[start:end].any() or text.startswith(_PLACE_LIST_ENDS, end):
                break  # …阿什凯隆、海法等地: the model's "person" led a list of places
            span = doc.char_span(start, end, label="PERSON")
            if span is None:
                break
            found.append(span)
            taken[start:end] = True
            pos = end
    return found


def _list_char(ch: str) -> bool:
    return _dotted_char(ch) or ch in _TRANSLITERATION  # 阿苦伍各: 各 is a word, and a Yi name's end


def _listed_name(item: str) -> bool:
    if len(item) < 2 or any(word in item for word in _PEOPLE):
        return False
    if item[:2] in _DOUBLE_SURNAMES or (item[0] in _SURNAMES and item[1] in _SURNAMES and len(item) == 4):
        return len(item) <= 4
    if item[0] in _SURNAMES:
        return len(item) <= 3
    return all(c in _TRANSLITERATION for c in item)


def _titled_names(doc: Doc, text: str, taken: numpy.ndarray) -> List[Span]:
    """People the model missed right after a title: 校长叶敏介绍 -> 叶敏, 村党支部书记于春花带领 -> 于春花.

    A candidate is a surname and one or two more characters, after a title and before a verb of
    speech or leading, a particle or punctuation; two characters are tried first (叶敏 before 叶敏介).
    ``taken`` marks the characters entities cover (see _taken)."""
    found = []
    for title in _PERSON_WORD.finditer(text):
        start = title.end()
        if start >= len(text) or taken[start]:
            continue
        surname = 2 if text[start:start + 2] in _DOUBLE_SURNAMES else 1 if text[start] in _SURNAMES else 0
        if not surname:
            continue
        for given in (1, 2):
            end = start + surname + given
            name = text[start:end]
            if end > len(text) or not all(map(_name_char, name[surname:])):
                break
            if _AFTER_NAME.match(text, end) and not taken[start:end].any():
                span = doc.char_span(start, end, label="PERSON")
                if span is not None:
                    found.append(span)
                    taken[start:end] = True
                break
    return found


# Transliterated names join their parts with a middle dot: 阿依古丽·买买提, 艾尔肯·吐尼亚孜, 鲍里斯·约翰逊.
_DOT = "·•・‧∙"
_DOTTED = re.compile(f"[\u4e00-\u9fff]+(?:[{_DOT}][\u4e00-\u9fff]+)+")
_MAX_PART = 7
_LIST_MARK = re.compile(r"[、，。：；！？（）\s]")
_MAX_LAST_PART = 5  # 依明巴海, 内塔尼亚胡; not 静安戏剧节以
# Words for people that stand right before a name, as titles do: 村民阿依古丽·买买提
_PEOPLE = ("村民", "牧民", "居民", "农民", "市民", "群众", "老人", "学生", "干部", "党员", "职工", "工人", "代表",
           "选手", "运动员", "教师", "专家", "志愿者", "村医", "游客", "妻子", "丈夫", "女儿", "儿子", "母亲", "父亲",
           "先生", "女士", "同志", "老师", "经营户", "种植户", "养殖户", "手艺人", "传承人", "当事人", "徒弟", "技术员",
           "果农", "茶农", "菜农", "绣娘", "大户", "县领导", "市领导", "区领导", "省领导", "镇领导")  # not 领导|方法
_COUNTED = re.compile(r"等(?:\s*[\d一二三四五六七八九十两几数百]+\s*[余多]?(?:名|位|户|人)|人|同志"
                      r"|[\u4e00-\u9fff]{0,2}?(?:" + "|".join(_PEOPLE) + "))")  # 于德顺、边国庆等低龄老人
# after which a surname starts a name (not 女儿|童事业, 代表|顾问团, 同志|简历)
_PERSON_WORD = re.compile(_TITLE_ANY.pattern + "|" + "|".join(
    w for w in _PEOPLE if w not in ("妻子", "丈夫", "女儿", "儿子", "母亲", "父亲", "同志", "代表", "先生", "女士")))
# and verbs whose object is a person (慰问|阿依古丽·买买提)
_VISITS = ("慰问", "看望", "采访", "会见", "会晤", "走访", "陪同", "邀请", "表彰", "帮助", "带领", "告诉", "给", "同", "跟")
_BEFORE_NAME = re.compile("(?:" + _TITLE_ANY.pattern + "|" + "|".join(_PEOPLE + _VISITS) + ")$")


def _dotted_char(ch: str) -> bool:
    return (_name_char(ch) or ch == "都") and ch not in "由让给将"  # 阿不都 (Abdu) starts many Uyghur names


def _dotted_names(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """帕提古丽·艾则孜、热合曼·吐尔逊等6人 -> two PERSONs, whole: the model often finds only part of
    a dotted name (沙吾尔·芒|力克), or none of it.

    Where the model saw a person across a dot, its edge stands, but a part of one character
    (热合|曼·…, …·芒|力克) takes up to two more name characters as far as a break. Elsewhere a
    name's parts run over name characters: the first stops after a title, a word for people
    (村民) or an entity, the last before a verb of speech, a particle, punctuation or a title,
    and it is taken only where one of those is found at both ends. A chain with a place or
    an organisation in it (中国·伊犁), or in quotes (“科技创新·开放合作”), is no name."""
    if not any(c in text for c in _DOT):
        return ents
    found = []
    for lo, hi in (c for m in _DOTTED.finditer(text) for c in _chains(text, m.start(), m.end())):
        chain = text[lo:hi]
        first_dot = lo + min(chain.find(c) for c in _DOT if c in chain)
        last_dot = lo + max(chain.rfind(c) for c in _DOT)
        seen = [e for e in ents if e.label_ == "PERSON" and e.start_char < last_dot + 1 and first_dot < e.end_char]
        start = _name_start(text, lo, first_dot, seen, ents)
        end = _name_end(text, hi, last_dot, seen)
        if start is None or end is None or (start and text[start - 1] in "“「《‘\""):
            continue
        if any(e.label_ != "PERSON" and e.start_char < end and start < e.end_char for e in ents):
            continue
        span = doc.char_span(start, end, label="PERSON")
        if span is not None:
            found.append(span)
    return _put_over(ents, filter_spans(found))  # two chains may find one name


def _chains(text: str, lo: int, hi: int) -> List[Tuple[int, int]]:
    """The chains of dotted names in text[lo:hi], split where a part between two dots cannot be inside
    one name (too long, or a title in it): 安德烈斯·阿亚曼多|和该党总书记|罗德里戈·乌维利亚 is two names, each
    chain holding the whole part on its side of the split."""
    dots = [i for i in range(lo, hi) if text[i] in _DOT]
    chains, start = [], lo
    for a, b in zip(dots, dots[1:]):
        part = text[a + 1:b]
        if len(part) > _MAX_PART or _TITLE_ANY.search(part):  # 本 of 穆罕默德·本·纳伊夫 is a part
            chains.append((start, b))
            start = a + 1
    return chains + [(start, hi)]


# Names written one after another with no mark between them, as lists of members are when their spaces are
# lost (胡富国钮茂生侯捷侯宗宾俞正声): the model reads such a run as one long "person" or a place.
# In a list, the surnames that are everyday words after a title (和, 文, 明, 关 …) are names too.
_LIST_SURNAMES = _SURNAMES | set("安成关盖曲和华时明文云连封贝路全雍权计薄闻尉司廉晋银容井辜荆")
_DOT_RE = re.compile(f"[{_DOT}]")
_HAN_RUN = re.compile("[\u4e00-\u9fff]+")  # a dot ends a run too
_NOT_A_NAME = 30.0  # per character left out of the names: far below any name, so the names cover what they can
_NAME_CHARS_PATH = Path(__file__).with_name("name_chars.json")
_NAMES_FILL = 0.75  # of a run's characters, in a list
_LONG_ROW, _WHOLE_RUN = 4, 0.9
_MIN_RUN = 3  # names in a row: two names side by side is also 李鹏乔石 but as often 王芳方|毅


@functools.lru_cache(maxsize=1)
def _name_chars() -> Tuple[dict, dict, dict]:
    """Log-probabilities of a character as a surname and in a given name, and of a given name's length,
    counted on the gold corpora by training/scripts/name_chars.py."""
    table = json.loads(_NAME_CHARS_PATH.read_text(encoding="utf-8"))
    logs = []
    for counts in (table["surname"], table["given"], table["given_length"]):
        total = sum(counts.values())
        logs.append({k: math.log((n + 0.5) / total) for k, n in counts.items()} | {None: math.log(0.5 / total)})
    return tuple(logs)


def _name_run(run: str, bounds: set) -> List[Tuple[int, int]]:
    """The names that tile the longest part of ``run``: each a surname and one or two characters. Of the
    tilings that cover as much, the likeliest, by how often each character starts a name or stands in one
    in the corpora (丁石孙|丁衡高|于珍, not 丁石|孙丁衡|高于珍), a little more likely where a cut agrees
    with ``bounds`` (where the model's own entities start or end)."""
    surnames, given_chars, lengths = _name_chars()
    n = len(run)
    best: List[Tuple[float, Optional[Tuple[int, bool]]]] = [(0.0, None)] + [(-math.inf, None)] * n
    for i in range(n):
        score = best[i][0]
        if score - _NOT_A_NAME > best[i + 1][0]:
            best[i + 1] = (score - _NOT_A_NAME, (i, False))
        surname = 2 if run[i:i + 2] in _DOUBLE_SURNAMES else 1 if run[i] in _LIST_SURNAMES else 0
        if not surname:
            continue
        head = score + surnames.get(run[i:i + surname], surnames[None]) + 0.3 * (i in bounds)
        for given in (1, 2):
            j = i + surname + given
            if j > n:
                break
            s = head + lengths.get(str(given), lengths[None]) + 0.3 * (j in bounds) \
                + sum(given_chars.get(c, given_chars[None]) for c in run[i + surname:j])
            if s > best[j][0]:
                best[j] = (s, (i, True))
    names, j = [], n
    while j > 0:
        i, is_name = best[j][1]
        if is_name:
            names.append((i, j))
        j = i
    return names[::-1]


def _runs_of_names(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """The names of a list written with no mark between them, where the model saw a person run on into
    another name: a "person" of five or more characters with no dot, or two people side by side.

    Each run of Han characters (between marks and dots) is cut into names (_name_run). The text is a
    list when names fill most of a run and a row of at least three of them holds such a "person"; then
    each row of two or more names is taken, in the runs that names fill as much (in prose the names of
    a run are a few words of its sentence: 财务大臣和国家战略…). A name against a dot is part of a dotted
    name, which is what lies between the names on either side of the dot: 王丙乾|帕巴拉·格列朗杰|王光英."""
    people = [e for e in ents if e.label_ == "PERSON"]
    if not people:
        return []
    run_on = [e for e in people if e.end_char - e.start_char >= 5 and not _DOT_RE.search(text, e.start_char, e.end_char)]
    run_on += [b for a in people for b in people if a.end_char == b.start_char]
    spans = [m.span() for m in _HAN_RUN.finditer(text)]
    # a list needs a person the model saw in one of its rows: runs without one wait until the text is a list
    seen = [any(e.start_char < hi and lo < e.end_char for e in people) for lo, hi in spans]
    rows_of = {k: _rows_of_names(text, ents, *spans[k]) for k, yes in enumerate(seen) if yes}
    is_list = any(
        (len(row) >= _MIN_RUN and any(row[0][0] < e.end_char and e.start_char < row[-1][1] for e in run_on))
        # or four names and more that make the whole run, one of them a person the model saw, none of them
        # with a particle in it (何立峰和苗华出席开幕式 is prose)
        or (len(row) >= _LONG_ROW and row[-1][1] - row[0][0] >= _WHOLE_RUN * (spans[k][1] - spans[k][0])
            and all(map(_name_char, text[row[0][0]:row[-1][1]]))
            and any(row[0][0] <= e.start_char < row[-1][1] for e in people))
        for k, rows in rows_of.items() for row in rows)
    if not is_list:
        return []
    runs = []
    for k, (lo, hi) in enumerate(spans):
        rows = rows_of[k] if k in rows_of else _rows_of_names(text, ents, lo, hi)
        runs.append((lo, hi, [name for row in rows for name in row]))
    covered = numpy.zeros(len(text) + 1, dtype=bool)
    found = []
    for left, right in zip(runs, runs[1:]):
        if left[1] + 1 != right[0] or not _dot_at(text, left[1]):
            continue
        # the dotted name's first part runs back to the last name, its last part on to the next one
        start = left[2][-1][1] if left[2] else left[0] if not _dot_at(text, left[0] - 1) else None
        end = right[2][0][0] if right[2] else right[1] if not _dot_at(text, right[1]) else None
        if start is not None and end is not None and 0 < left[1] - start <= _MAX_PART \
                and 0 < end - right[0] <= _MAX_PART:
            found.append((start, end))
            covered[start:end] = True
    for lo, hi, names in runs:
        for i, j in names:
            covered[i:j] = True
        # a row of two or more, or a lone name where names and dotted names explain the whole run
        whole = covered[lo:hi].all()
        found += [(i, j) for i, j in names if whole or _in_row(names, i, j)]
    people_found = [doc.char_span(i, j, label="PERSON") for i, j in sorted(set(found))]
    return [p for p in people_found if p is not None]


def _rows_of_names(text: str, ents: List[Span], lo: int, hi: int) -> List[List[Tuple[int, int]]]:
    """The rows of names (each name right after the one before) that cut text[lo:hi], a run of Han characters;
    none where names fill too little of it or a row holds a title (名单主任委员 is no row of names)."""
    bounds = {b - lo for e in ents for b in (e.start_char, e.end_char) if lo <= b <= hi}
    names = [(lo + i, lo + j) for i, j in _name_run(text[lo:hi], bounds)]
    names = [(i, j) for i, j in names if not (_dot_at(text, i - 1) or _dot_at(text, j))]
    if _dot_at(text, lo - 1) and _dot_at(text, hi):
        return []  # 阿沛·阿旺晋美赛福鼎·艾则孜: parts of two dotted names, cut where no count can tell
    if lo > 0 and text[lo - 1] in "（(" and text[hi:hi + 1] in ("）", ")"):
        return []  # 王朝文（苗族）: a note on the name before
    # names fill most of the run, with the part of a dotted name at either end
    filled = sum(j - i for i, j in names)
    if names and _dot_at(text, hi):
        filled += min(hi - names[-1][1], _MAX_PART)
    if names and _dot_at(text, lo - 1):
        filled += min(names[0][0] - lo, _MAX_PART)
    if filled < _NAMES_FILL * (hi - lo):
        return []
    rows: List[List[Tuple[int, int]]] = []
    for i, j in names:
        if rows and rows[-1][-1][1] == i:
            rows[-1].append((i, j))
        else:
            rows.append([(i, j)])
    return [row for row in rows if not _PERSON_WORD.search(text, row[0][0], row[-1][1])]


def _in_row(names: List[Tuple[int, int]], i: int, j: int) -> bool:
    """Whether the name at (i, j) touches another name of ``names``."""
    return any(b == i or a == j for a, b in names)


def _dot_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i] in _DOT


def _put_over(ents: List[Span], found: List[Span]) -> List[Span]:
    """``found`` in place of the entities it overlaps."""
    if not found:
        return ents
    kept = [e for e in ents if not any(_overlaps(e, f) for f in found)]
    return sorted(kept + found, key=lambda e: e.start)


def _titled_at(text: str, i: int) -> bool:
    """True when a title, a word for people or a verb whose object is a person ends at ``i``."""
    return _BEFORE_NAME.search(text, max(0, i - _MAX_ROLE), i) is not None


def _name_start(text: str, lo: int, dot: int, seen: List[Span], ents: List[Span]) -> Optional[int]:
    """Where a dotted name starts, given its first dot (see _dotted_names); None: no clear start."""
    crossing = [e.start_char for e in seen if e.start_char < dot < e.end_char or e.end_char == dot]
    if crossing:
        start = k = crossing[0]
        if _titled_at(text, start):
            return start  # 陪同|马克·吕特, 村民|伊吉木·…
        while k > lo and start - k < 2 and _dotted_char(text[k - 1]):
            k -= 1
        # 热合|曼·吐尔逊: one character is seldom a whole part; 、古再|丽努尔·: a list starts at its mark
        if k < start and (k == 0 or (dot - start == 1 and not _dotted_char(text[k - 1]))
                          or _LIST_MARK.match(text, k - 1)):
            start = k
        return start
    ends = {e.end_char for e in ents if e.label_ != "PERSON"}
    start = dot
    while start > lo and _dotted_char(text[start - 1]) and dot - start < _MAX_PART:
        if start in ends or _titled_at(text, start):
            return start if start < dot else None
        start -= 1
    return start if start < dot and (start == lo or start in ends or not _dotted_char(text[start - 1])
                                     or _titled_at(text, start)) else None


def _name_end(text: str, hi: int, dot: int, seen: List[Span]) -> Optional[int]:
    """Where a dotted name ends, given its last dot (see _dotted_names); None: no clear end."""
    crossing = [e.end_char for e in seen if e.start_char < dot < e.end_char]
    if crossing:
        end = crossing[-1]
        if end - dot == 2:  # 沙吾尔·芒|力克和: one character is seldom a whole part
            k = end
            while k < hi and k - end < 2 and _dotted_char(text[k]) and not _AFTER_NAME.match(text, k):
                k += 1
            if k == hi or not _dotted_char(text[k]) or _AFTER_NAME.match(text, k):
                end = k
        return end
    end = dot + 1
    while end < hi and end - dot <= _MAX_LAST_PART:
        if end > dot + 1 and (_AFTER_NAME.match(text, end) or _TITLE_ANY.match(text, end)):
            return end
        if not _dotted_char(text[end]):
            break
        end += 1
    return end if end > dot + 1 and _AFTER_NAME.match(text, end) else None


def _byline_people(doc: Doc, text: str, ents: List[Span]) -> List[Span]:
    """The reporters a byline credits are people whatever the model read there: （记者 尼玛才让）,
    （通讯员 叶尔江加纳提）: the byline's own layout (marks, spaces) says where each name ends."""
    found = []
    for start, end, _ in find_bylines(text):
        span = doc.char_span(start, end, label="PERSON")
        if span is not None:
            found.append(span)
    return _put_over(ents, found)


# A party committee named by its level only, the first half of a title: 区委|副书记, 村党支部|书记
_BARE_COMMITTEE = re.compile("(?:省|市|区|县|镇|乡|村|街道|社区)?(?:委|" + "|".join(_COMMITTEE_ENDS) + ")$")


def _title_committee(doc: Doc, text: str, ent: Span) -> Optional[Span]:
    """区委副书记 and 市委常委 are titles: a bare 区委 or 村党支部 read as an ORG before the rest of the
    title is dropped, and 南康区区委|书记 keeps its place (南康区) alone. 江海区委书记 names the
    committee with its place, so 江海区委 stays an ORG."""
    if ent.label_ != "ORG" or not _TITLE_ANY.match(text, ent.end_char):
        return ent
    name = text[ent.start_char:ent.end_char]
    m = _BARE_COMMITTEE.search(name)
    if m is None or m.group()[:1] not in "省市区县镇乡村街社":
        return ent
    if m.start() == 0:
        return None
    if name[m.start() - 1] != m.group()[0]:
        return ent  # 南康区|区委 repeats its level; 贵州省委 and 江海区委 name their committee
    return doc.char_span(ent.start_char, ent.start_char + m.start(), label="PLACE") or ent


def _named_again(doc: Doc, text: str, ents: List[Span], taken: numpy.ndarray) -> List[Span]:
    """A person found once is the same person where the name stands again, alone, before a verb of
    speech, a particle or punctuation (\n和正才说 after 老人和正才，): one sense per article."""
    names = {text[e.start_char:e.end_char] for e in ents if e.label_ == "PERSON" and 2 <= e.end_char - e.start_char <= 4}
    if not names:
        return []
    found = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            if taken[s:e].any() or not _AFTER_NAME.match(text, e):
                continue
            before = text[s - 1] if s else ""
            if s and _name_char(before) and not _TITLE_RE.search(text[max(0, s - _MAX_ROLE):s]):
                continue  # inside a longer word (万里|长城 is not 万里 again)
            span = doc.char_span(s, e, label="PERSON")
            if span is not None:
                found.append(span)
                taken[s:e] = True
    return found


def _trim(text: str, ent: Span) -> Optional[Span]:
    """记者/罗锦 or □江门日报 read with the mark before it: no entity starts or ends with punctuation
    or a symbol, except a bracket it opens and closes itself (阿特斯食品（江门）)."""
    if text[ent.start_char].isalnum() and text[ent.end_char - 1].isalnum():
        return ent  # most are; looking at the tokens costs a Token object each
    doc, start, end = ent.doc, ent.start, ent.end
    while start < end and not doc[start].text.isalnum() and doc[start].text not in "（(":
        start += 1
    while end > start and not doc[end - 1].text.isalnum() and not (
            doc[end - 1].text in "）)" and ("（" in ent.text or "(" in ent.text)):
        end -= 1
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(ent.doc, start, end, label=ent.label_) if end > start else None


def _without_credit(doc: Doc, text: str, ent: Span) -> Span:
    """（本报记者温宪摄）: the photographer's 摄 (took the photo) is no part of the name."""
    if ent.label_ == "PERSON" and ent.end_char - ent.start_char >= 3 and text[ent.end_char - 1] == "摄" \
            and (ent.end_char == len(text) or not _name_char(text[ent.end_char])):
        return doc.char_span(ent.start_char, ent.end_char - 1, label=ent.label_) or ent
    return ent


def _split_at_spaces(doc: Doc, text: str, ent: Span) -> List[Span]:
    """A Chinese name has no space in it (a foreign one is joined by a dot), so a "person" across
    a space is the names of a byline or a list the model ran together: 央金 边巴次仁, 刘肖 摄.
    Each part of two characters or more is a person."""
    if ent.label_ != "PERSON" or not any(c.isspace() for c in text[ent.start_char:ent.end_char]):
        return [ent]
    parts = []
    for m in re.finditer(r"\S{2,}", text[ent.start_char:ent.end_char]):
        span = doc.char_span(ent.start_char + m.start(), ent.start_char + m.end(), label="PERSON")
        if span is not None:
            parts.append(span)
    return parts


def _strip_title(doc: Doc, text: str, ent: Span) -> Optional[Span]:
    """区委书记袁加伟 tagged as one PERSON -> 袁加伟 (with the title left in the text before it)."""
    text = text[ent.start_char:ent.end_char]
    best = None
    for k in range(1, len(text) - 1):
        if _TITLE_RE.search(text[:k]) and 2 <= len(text) - k <= 4:
            best = k
    if best is None:
        return ent
    span = doc.char_span(ent.start_char + best, ent.end_char, label="PERSON", alignment_mode="contract")
    return span if span is not None and len(span) else None


def _role_before(text: str, start: int, starts: List[int] = ()) -> Optional[str]:
    """The title written right before a person: 区委书记 in ，区委书记袁加伟.

    A long run (深圳市芯联电股份有限公司董事长) holds an organisation too, which is an entity of
    its own: the role is then the title alone (董事长). A run that holds an entity begins with
    it (``starts``: where entities start): 会见|荷兰首相, not 会见荷兰首相.
    """
    lo = max(0, start - _MAX_ROLE)
    m = _ROLE_CHARS.search(text, lo, start)
    if not m or not _TITLE_RE.search(m.group()):
        return None
    i = bisect.bisect_left(starts, m.start())
    role = text[starts[i]:start] if i < len(starts) and starts[i] < start else m.group()
    return role if len(role) <= _SHORT_ROLE else _TITLE_RE.search(role).group()


# --------------------------------------------------------------------------------------------
# Label mapping for other pipelines

ONTONOTES_TO_KG = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE",
                   "FAC": "PLACE", "PLACE": "PLACE", "PROJECT": "PROJECT"}


@Language.factory("kg_label_map", default_config={"mapping": ONTONOTES_TO_KG})
def make_label_map(nlp: Language, name: str, mapping: Dict[str, str]):
    """Relabel entities to PERSON/ORG/PLACE/PROJECT and drop the rest (DATE, MONEY, …)."""

    def relabel(doc: Doc) -> Doc:
        doc.ents = [Span(doc, e.start, e.end, label=mapping[e.label_]) for e in doc.ents if e.label_ in mapping]
        return doc

    return relabel
