"""kg.read: sources -> Article. Fixtures are written into tmp_path; the real page is seeds/000_*.txt."""
import json
import re
from pathlib import Path

import pytest

from kg.read import Article, Byline, ReadError, read_articles

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_5d8147767e1fc6e6.txt"

# A small page in the seed's shape: headline, dateline with bylines, a sentence the layout broke
# across a blank line, a subheading, then a second article with a byline on its own line.
PAGE = """\
江海区举行 新春活动

江门日报讯(记者/李雨溪 通讯员/朱苗欣)近日,江海区举办新春活动,为群众提供各

项健康服务。

活动现场 气氛热烈

村民纷纷点赞。

外海街道召开座谈会

□文/图 江门日报记者 林梅

座谈会上,袁加伟强调要做好 各项工作。
"""


def read(*sources, **kw):
    warned = []
    articles = list(read_articles(list(sources), on_warning=warned.append, **kw))
    return articles, warned


# ---------------------------------------------------------------------------------------------
# The seed page


@pytest.fixture(scope="module")
def seed():
    return list(read_articles(SEED, on_warning=pytest.fail))


def test_seed_page_splits_into_its_five_articles(seed):
    assert [a.title for a in seed] == [
        "江海区委召开疫情防控座谈会 平稳有序落实新冠病毒感染“乙类乙管”",
        "区领导调研信访维稳工作 努力把矛盾纠纷化解在基层",
        "江海区委重大项目招引建设工作打好“收官战” 以项目突破点燃高质量发展强引擎",
        "江海区摸清重点人群底数、分级分类提供健康服务…… 以智慧网格守护群众健康和平安",
        "新春赠联活动走进外海街道前进村 送春联 送祝福",
    ]
    assert [a.source for a in seed] == [f"{SEED.as_posix()}#{k}" for k in range(1, 6)]
    assert all(a.date is None and a.url is None for a in seed)


def test_seed_bylines(seed):
    assert [a.bylines for a in seed] == [
        (Byline("李雨溪", "记者"), Byline("朱苗欣", "通讯员")),
        (Byline("何榕", "记者"),),
        (Byline("李雨溪", "记者"),),  # □文/图 江门日报记者 李雨溪
        (Byline("何榕", "记者"), Byline("陈婵", "记者"), Byline("梁文聪", "通讯员")),  # two lines
        (Byline("何榕", "记者"), Byline("陈敏", "通讯员")),
    ]


def test_seed_datelines_and_byline_lines_stay_in_the_text_as_printed(seed):
    assert seed[0].paragraphs[0].startswith("江门日报讯(记者/李雨溪 通讯员/朱苗欣)近日,区委书记袁加伟")
    assert seed[2].paragraphs[0] == "□文/图 江门日报记者 李雨溪"
    assert seed[2].paragraphs[1].startswith("去年12月25日,在江海区优巨新材")
    # two byline lines stay two paragraphs: glued, 陈婵 would run into 通讯员
    assert seed[3].paragraphs[:2] == ("□江门日报记者 何榕 陈婵", "通讯员 梁文聪")
    assert seed[3].paragraphs[2].startswith("完善重点人群底数台账")
    for article in seed:
        assert all(b.name in article.text for b in article.bylines)


def test_seed_layout_breaks_are_joined(seed):
    text = {a.title[:6]: a.text for a in seed}
    for title, joined in [
        ("江海区摸清重", "确保各项健康服务24小时不断档。"),
        ("江海区摸清重", "对照各村(社区)人员底数逐户排查"),  # a break after a closing bracket
        ("江海区委重大", "141个区重点项目完成投资180亿元。"),
        ("江海区委重大", "即协助公司成功办理营业执照"),
        # a photo caption sat between the halves of these two
        ("江海区委重大", "致力于全配套和数字化生产;5G数据通讯"),
        ("江海区摸清重", "动态掌握重点人群健康情况,推动重点人群健康问题早发现"),
    ]:
        assert joined in text[title]
    subheadings = {"项目为王 去年成功引进亿元以上项目43个", "实干为先 全力营造优质营商环境",
                   "重排查 摸清重点人群底数", "重落实 群众诉求办结率为100%", "外海街道网格员上门为重点人群送药。外海街道供图"}
    for article in seed:
        for paragraph in article.paragraphs:
            assert paragraph in subheadings or paragraph.startswith(("□", "通讯员 ")) or paragraph[-1] in "。！？…”", paragraph


def test_seed_captions_follow_the_paragraph_they_interrupted(seed):
    paragraphs = seed[2].paragraphs
    mended = next(i for i, p in enumerate(paragraphs) if "数字化生产" in p)
    assert paragraphs[mended + 1] == "江海区以重大项目落地为抓手,点燃高质量发展引擎。图为优巨新材项目建设现场。"
    assert seed[3].paragraphs.index("外海街道网格员上门为重点人群送药。外海街道供图") == \
        next(i for i, p in enumerate(seed[3].paragraphs) if "健康问题早发现" in p) + 1


def test_seed_subheadings_are_own_paragraphs_and_headlines_not_glued(seed):
    assert "项目为王 去年成功引进亿元以上项目43个" in seed[2].paragraphs
    assert seed[1].paragraphs[-1] == "区领导朱辉荣、岑明俸、曾国华、丑继明参加调研。"
    assert seed[2].paragraphs[-1].endswith("推动形成产业项目不断进驻、开工、投产的良性循环。")
    for a, b in zip(seed, seed[1:]):
        assert b.title.split()[0] not in a.text


def test_ids_are_stable_and_unique(seed):
    again = list(read_articles(str(SEED)))
    assert [a.id for a in again] == [a.id for a in seed]
    assert len({a.id for a in seed}) == 5
    assert seed[0].id.startswith("000_5d8147767e1fc6e6-1-")


# ---------------------------------------------------------------------------------------------
# .txt encodings and layout


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_txt_encodings(tmp_path, encoding):
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode(encoding))
    (first, second), warned = read(path)
    assert warned == []
    assert first.title == "江海区举行 新春活动"
    assert first.paragraphs == (
        "江门日报讯(记者/李雨溪 通讯员/朱苗欣)近日,江海区举办新春活动,为群众提供各项健康服务。",
        "活动现场 气氛热烈",
        "村民纷纷点赞。",
    )
    assert first.bylines == (Byline("李雨溪", "记者"), Byline("朱苗欣", "通讯员"))
    assert second.title == "外海街道召开座谈会"
    # the layout's space between Han characters goes; the byline's spaces separate names and stay
    assert second.paragraphs == ("□文/图 江门日报记者 林梅", "座谈会上,袁加伟强调要做好各项工作。")
    assert second.bylines == (Byline("林梅", "记者"),)
    assert [a.source for a in (first, second)] == [f"{path.as_posix()}#1", f"{path.as_posix()}#2"]


def test_a_credit_in_brackets_keeps_its_spaces_and_names_its_people(tmp_path):
    path = tmp_path / "credit.txt"
    path.write_text("拉萨召开 牧区工作会议\n（西藏日报记者 央金 边巴次仁）近日，拉萨市召开 会议。\n"
                    "图为会议现场。（记者从市里获悉 会议 开了两天）\n", encoding="utf-8")
    (article,), warned = read(path)
    # the names of the credit stay apart; the layout's spaces elsewhere go, prose in brackets included
    assert article.paragraphs == ("（西藏日报记者 央金 边巴次仁）近日，拉萨市召开会议。",
                                  "图为会议现场。（记者从市里获悉会议开了两天）")
    assert article.bylines == (Byline("央金", "记者"), Byline("边巴次仁", "记者"))


def test_txt_without_page_structure_is_one_article(tmp_path):
    titled = tmp_path / "titled.txt"
    titled.write_text("一个标题\n第一段,说了\n一些话。\n第二段。\n", encoding="utf-8")
    untitled = tmp_path / "untitled.txt"
    untitled.write_text("新华社北京1月4日电(记者张三)第一段。\r\n第二段。", encoding="utf-8")
    (a, b), _ = read(titled, untitled)
    assert (a.title, a.paragraphs) == ("一个标题", ("第一段,说了一些话。", "第二段。"))
    assert (b.title, b.paragraphs) == ("untitled", ("新华社北京1月4日电(记者张三)第一段。", "第二段。"))
    assert b.bylines == (Byline("张三", "记者"),)


def test_page_furniture_is_dropped_and_a_kicker_joins_the_headline(tmp_path):
    path = tmp_path / "furniture.txt"
    path.write_text("江海新闻 A05版\n\n第一篇标题\n本报讯 第一篇正文。\n\n引题 两行\n主标题\n"
                    "新华社北京1月4日电(记者 王五)第二篇正文。\n", encoding="utf-8")
    (a, b), _ = read(path)
    assert (a.title, a.source) == ("第一篇标题", f"{path.as_posix()}#1")
    assert (b.title, b.paragraphs, b.bylines) == (
        "引题 两行 主标题", ("新华社北京1月4日电(记者 王五)第二篇正文。",), (Byline("王五", "记者"),))


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "c" / "deep.txt").write_text("深处的文章。", encoding="utf-8")
    (tmp_path / "b" / "rows.jsonl").write_text(json.dumps({"text": "一行。"}) + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("顶层的文章。", encoding="utf-8")
    (tmp_path / "notes.md").write_text("不是新闻。", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("隐藏。", encoding="utf-8")
    articles, warned = read(tmp_path, tmp_path / "a.txt")  # a file named twice is read once
    assert [a.text for a in articles] == ["顶层的文章。", "深处的文章。", "一行。"]
    assert articles[2].source == f"{(tmp_path / 'b' / 'rows.jsonl').as_posix()}:1"
    assert warned == []


# ---------------------------------------------------------------------------------------------
# JSON lines and CSV


def test_jsonl_with_optional_fields(tmp_path):
    path = tmp_path / "news.jsonl"
    rows = [
        {"id": "n1", "title": "标题一", "date": "2023/1/5", "url": "https://x.cn/1", "source": "江门日报 A05",
         "text": "标题一\n本报讯(记者 张三 李四)正文说到了各\n\n项服务。\n第二段。"},
        {"text": "重排查 摸清底数\n正文。"},
        {"text": "只有正文。", "date": "2023年1月4日 08:00"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows[:2]) + "\n\n"
                    + json.dumps(rows[2], ensure_ascii=False), encoding="utf-8")
    (a, b, c), warned = read(path)
    assert a == Article(id="n1", title="标题一", paragraphs=("本报讯(记者 张三 李四)正文说到了各项服务。", "第二段。"),
                        date="2023-01-05", url="https://x.cn/1", source="江门日报 A05",
                        bylines=(Byline("张三", "记者"), Byline("李四", "记者")))
    assert (b.title, b.paragraphs, b.source) == ("重排查 摸清底数", ("正文。",), f"{path.as_posix()}:2")
    assert (c.title, c.date, c.url, c.source) == ("", "2023-01-04", None, f"{path.as_posix()}:4")
    assert b.id.startswith("news-2-") and c.id.startswith("news-4-")
    assert warned == []


def test_json_array_and_bad_date(tmp_path):
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"text": "甲。", "date": "昨天"}, {"text": "乙。"}], ensure_ascii=False), encoding="utf-8")
    (a, b), warned = read(path)
    assert (a.text, a.date, a.source, b.source) == ("甲。", None, f"{path.as_posix()}#1", f"{path.as_posix()}#2")
    assert len(warned) == 1 and "昨天" in warned[0] and f"{path.as_posix()}#1" in warned[0]


def test_csv_with_and_without_optional_columns(tmp_path):
    full = tmp_path / "full.csv"
    full.write_bytes('id,Title,date,url,text,extra\nc1,标题,2023-01-05,http://x.cn,"第一段,没有\n写完。\n第二段。",x\n'.encode("gbk"))
    bare = tmp_path / "bare.csv"
    bare.write_text("text\n一。\n\n二。\n", encoding="utf-8-sig")
    (a, b, c), warned = read(full, bare)
    assert a == Article(id="c1", title="标题", paragraphs=("第一段,没有写完。", "第二段。"),
                        date="2023-01-05", url="http://x.cn", source=f"{full.as_posix()}:2")
    assert [(x.text, x.source, x.title) for x in (b, c)] == [
        ("一。", f"{bare.as_posix()}:2", ""), ("二。", f"{bare.as_posix()}:4", "")]
    assert warned == []


def test_duplicate_ids_are_renamed_with_a_warning(tmp_path):
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "x", "text": "甲。"}\n{"id": "x", "text": "乙。"}\n', encoding="utf-8")
    articles, warned = read(path)
    assert [a.id for a in articles] == ["x", "x~2"]
    assert "duplicate id 'x'" in warned[0]


# ---------------------------------------------------------------------------------------------
# Bad input


def test_missing_path_fails_at_once(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(ReadError, match=f"^kg: no such file or folder: {re.escape(str(missing))}$"):
        read_articles([SEED, missing])  # no iteration needed


def test_empty_file_warns_and_is_an_error_when_alone(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf \n\n")
    with pytest.raises(ReadError, match="^no readable article in: .*empty.txt$"):
        read(empty)
    good = tmp_path / "good.txt"
    good.write_text("有内容。", encoding="utf-8")
    articles, warned = read(empty, good)
    assert [a.text for a in articles] == ["有内容。"]
    assert warned == [f"kg: skipped empty file: {empty.as_posix()}"]


def test_binary_file_is_skipped_with_a_warning_naming_it(tmp_path):
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    noise = tmp_path / "noise.txt"  # no NUL byte, decodes as GB18030, but mostly control characters
    noise.write_bytes(bytes(range(1, 32)) * 20)
    good = tmp_path / "good.txt"
    good.write_text("有内容。", encoding="utf-8")
    articles, warned = read(png, noise, good)
    assert len(articles) == 1
    assert len(warned) == 2 and png.as_posix() in warned[0] and noise.as_posix() in warned[1]
    with pytest.warns(UserWarning, match="photo.txt"):  # default on_warning
        assert len(list(read_articles([png, good]))) == 1


def test_broken_json_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "好。"}\n\n{"text": "坏\n', encoding="utf-8")
    with pytest.raises(ReadError, match=rf"^{re.escape(path.as_posix())}:3: not valid JSON: "):
        read(path)


def test_json_line_without_text(tmp_path):
    path = tmp_path / "notext.jsonl"
    path.write_text('{"title": "无正文"}\n', encoding="utf-8")
    with pytest.raises(ReadError, match=rf"^{re.escape(path.as_posix())}:1: no 'text' field$"):
        read(path)


def test_csv_without_text_column_lists_columns(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("title,body\n标题,正文。\n", encoding="utf-8")
    with pytest.raises(ReadError, match=rf"^{re.escape(path.as_posix())}: CSV has no 'text' column \(columns: title, body\)$"):
        read(path)
