"""The embedded NER pipeline: offline loading, labels, known sentences, projects, other pipelines."""
import json
import socket
from pathlib import Path

import pytest
import spacy

import kg
from kg.pipeline import MODEL_DIR, PipelineError, load_pipeline
from kg.pipeline.components import find_local_places, find_projects
from kg.pipeline.scoring import score_spans

from conftest import SHARED_DATA


def ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_model_is_inside_the_installed_package():
    assert Path(kg.__file__).resolve().parent in MODEL_DIR.resolve().parents
    size = sum(f.stat().st_size for f in MODEL_DIR.rglob("*") if f.is_file())
    assert size < 60 * 2**20


def test_loads_with_the_network_cut(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    nlp = load_pipeline()
    assert nlp.pipe_names[0] == "kg_sentences"
    assert {"ner", "kg_gazetteer", "kg_orgs", "kg_projects", "kg_names"} <= set(nlp.pipe_names)


def test_labels(nlp):
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "ORG", "PLACE"}
    doc = nlp("江门日报讯 1月4日，区委书记袁加伟前往区信访局调研，江海区加快建设江中高速改扩建。")
    assert doc.ents and {e.label_ for e in doc.ents} <= set(kg.LABELS)


@pytest.mark.parametrize("text, expected", [
    ("马拉维新政府成立后不久", ("马拉维", "PLACE")),    # the model reads 马 as a surname
    ("科摩罗总统阿扎利会见", ("科摩罗", "PLACE")),
    ("然而，马拉维湖的旅游开发存在着问题", ("马拉维湖", "PLACE")),  # a "person" that starts with a country
])
def test_countries_of_three_characters_and_more_are_places(nlp, text, expected):
    assert expected in ents(nlp, text)


def test_title_is_a_role_not_part_of_the_name(nlp):
    doc = nlp("区委书记袁加伟主持召开座谈会")
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert [e.text for e in people] == ["袁加伟"]
    assert people[0]._.role == "区委书记"


@pytest.mark.parametrize("text, expected", [
    ("村党支部书记于春花带领村民成立了合作社。", [("于春花", "村党支部书记")]),
    ("校长叶敏介绍，学校今年招生。", [("叶敏", "校长")]),
    ("公司总经理欧阳明辉表示，订单已排到年底。", [("欧阳明辉", "公司总经理")]),
    ("专职网格员钮晓峰已在辖区走访了300户。", [("钮晓峰", "专职网格员")]),  # 已 may follow a name
    ("负责人明确表示将加快进度。", []),   # 明确 is a word, and 明 no surname here
    ("主任高兴地说，很好。", []),         # 地 is never in a name
    ("局长高建国表示，将加快进度。", [("高建国", "局长")]),
    ("镇长储永华介绍，今年全镇产量4000吨。", [("储永华", "镇长")]),  # rarer surnames: 储, 昝, 庹, 郜 …
    ("书记高度重视，要求各地落实。", []),    # 高度 is followed by no verb of speech
    ("总书记关于党的建设的重要思想", []),    # 关 is no surname here: 关于
    ("书记主持召开会议。", []),           # no surname after the title
])
def test_a_name_after_a_title_is_a_person_even_when_the_model_misses_it(text, expected):
    rules = spacy.blank("zh")  # character tokens, no model: only the rule can find them
    rules.add_pipe("kg_names")
    doc = rules(text)
    assert [(e.text, e._.role) for e in doc.ents if e.label_ == "PERSON"] == expected


@pytest.mark.parametrize("text, expected", [
    ("管理局副局长温嘉豪介绍，基地将服务企业。", "温嘉豪"),   # 温嘉 + 豪, then 介绍
    ("李强说，很好。", "李强"),                            # 说 ends the name
    ("王明在会上发言。", "王明"),                          # 在 is never in a name
])
def test_a_name_cut_short_gets_its_last_character(text, expected):
    rules = spacy.blank("zh")
    rules.add_pipe("kg_names")
    doc = rules.make_doc(text)
    doc.ents = [doc.char_span(text.index(expected), text.index(expected) + 2, label="PERSON")]  # the model's cut
    assert [e.text for e in rules.get_pipe("kg_names")(doc).ents if e.label_ == "PERSON"] == [expected]


def test_a_body_is_named_with_the_place_before_it(nlp):
    assert ("江门市蓬江区人民检察院", "ORG") in ents(nlp, "江门市蓬江区人民检察院近日对一起案件提起公诉。")
    rules = spacy.blank("zh")
    rules.add_pipe("kg_orgs")
    doc = rules.make_doc("江门市蓬江区人民检察院，广东华为")
    doc.ents = [doc.char_span(0, 3, label="PLACE"), doc.char_span(3, 11, label="ORG"),
                doc.char_span(12, 14, label="PLACE"), doc.char_span(14, 16, label="ORG")]
    assert [(e.text, e.label_) for e in rules.get_pipe("kg_orgs")(doc).ents] == [
        ("江门市蓬江区人民检察院", "ORG"), ("广东", "PLACE"), ("华为", "ORG")]  # a company keeps its own name


def _rules(component, text, spans):
    """Run one rule component over ``text`` with the model's entities given as (start, end, label)."""
    rules = spacy.blank("zh")
    rules.add_pipe(component)
    doc = rules.make_doc(text)
    doc.ents = [doc.char_span(s, e, label=label) for s, e, label in spans]
    return [(e.text, e.label_) for e in rules.get_pipe(component)(doc).ents]


@pytest.mark.parametrize("text, spans, expected", [
    ("古城区文化和旅游局负责人说", [(0, 3, "PLACE")], [("古城区文化和旅游局", "ORG")]),
    ("九寨沟风景名胜区管理局局长罗勇", [(0, 3, "PLACE"), (13, 15, "PERSON")],
     [("九寨沟风景名胜区管理局", "ORG"), ("罗勇", "PERSON")]),
    ("稀土高新区党工委书记", [(0, 5, "PLACE")], [("稀土高新区党工委", "ORG")]),
    ("贵州大学党委书记宋宝安", [(0, 4, "ORG"), (8, 11, "PERSON")], [("贵州大学党委", "ORG"), ("宋宝安", "PERSON")]),
    # not offices: a verb or a phrase between, a company's 局, a 格局
    ("深圳市召开安全生产委员会会议", [(0, 3, "PLACE")], [("深圳市", "PLACE")]),
    ("江门市形成发展新格局", [(0, 3, "PLACE")], [("江门市", "PLACE")]),
    ("华为公司与市住建局签约", [(0, 4, "ORG")], [("华为公司", "ORG")]),
    ("乌克兰东部紧张局势持续", [(0, 3, "PLACE")], [("乌克兰", "PLACE")]),
    ("新疆局势稳定", [(0, 2, "PLACE")], [("新疆", "PLACE")]),
    ("美国应学会尊重", [(0, 2, "PLACE")], [("美国", "PLACE")]),
    # the model's person that ends like an office
    ("齐齐哈尔市城市管理综合执法局表示", [(0, 14, "PERSON")], [("齐齐哈尔市城市管理综合执法局", "ORG")]),
    # a place stands for its government (the guidelines: [金水区]召开…), but 欧盟 is a union, not a place
    ("7月2日，滑县召开县委常委会会议", [(5, 7, "ORG")], [("滑县", "PLACE")]),
    ("欧盟发表声明", [(0, 2, "ORG")], [("欧盟", "ORG")]),
    # a "place" that ends like a police station or a cooperative is the body
    ("长治市潞州区公安分局英雄南路派出所民警", [(0, 17, "PLACE")], [("长治市潞州区公安分局英雄南路派出所", "ORG")]),
    ("加入了西乌旗草原畜牧业合作社", [(3, 14, "PLACE")], [("西乌旗草原畜牧业合作社", "ORG")]),
])
def test_offices_bodies_and_places_by_their_names(text, spans, expected):
    assert _rules("kg_orgs", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("区委副书记、区长孙立峰主持", [(0, 2, "ORG"), (8, 11, "PERSON")], [("孙立峰", "PERSON")]),
    ("他当了28年村党支部书记", [(6, 10, "ORG")], []),
    ("南康区区委书记刘强致辞", [(0, 5, "ORG"), (7, 9, "PERSON")], [("南康区", "PLACE"), ("刘强", "PERSON")]),
    ("江海区委书记袁加伟", [(0, 4, "ORG"), (6, 9, "PERSON")], [("江海区委", "ORG"), ("袁加伟", "PERSON")]),
    ("贵州省委书记", [(0, 4, "ORG")], [("贵州省委", "ORG")]),
    ("区委召开常委会", [(0, 2, "ORG")], [("区委", "ORG")]),  # a committee on its own is one
])
def test_a_bare_committee_before_a_title_is_part_of_the_title(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("老人和正才，每天唱歌。\n和正才说，他很开心。", [(2, 5, "PERSON")], [("和正才", "PERSON"), ("和正才", "PERSON")]),
    ("万里说好。万里长城很长。", [(0, 2, "PERSON")], [("万里", "PERSON")]),  # inside a longer word: not the name
    ("书记李挚出席。李挚强调，要抓好工作。", [(2, 4, "PERSON")], [("李挚", "PERSON"), ("李挚", "PERSON")]),
])
def test_a_person_found_once_is_found_where_the_name_stands_again(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    # none found, part found, a one-character part the model cut (热合|曼, 芒|力克)
    ("阿依古丽·买买提说，收入翻了一番。", [], [("阿依古丽·买买提", "PERSON")]),
    ("帕提古丽·艾则孜、热合曼·吐尔逊等6人获评", [(11, 16, "PERSON")],
     [("帕提古丽·艾则孜", "PERSON"), ("热合曼·吐尔逊", "PERSON")]),
    ("村党支部书记沙吾尔·芒力克和全体村民", [(6, 11, "PERSON")], [("沙吾尔·芒力克", "PERSON")]),
    ("村民阿不都热合曼·吾买尔介绍，今年", [], [("阿不都热合曼·吾买尔", "PERSON")]),
    # the model's edge stands where no break is near (院士|安德鲁), and a title or verb bounds a name
    ("工程院院士安德鲁·戈登堡博士说", [(5, 12, "PERSON")], [("安德鲁·戈登堡", "PERSON")]),
    ("陪同马克·吕特访华的有", [(2, 7, "PERSON")], [("马克·吕特", "PERSON")]),
    # not names: places in the chain, a slogan in quotes, nothing that says person
    ("2024中国·伊犁天马国际旅游节开幕", [(4, 6, "PLACE"), (7, 9, "PLACE")], [("中国", "PLACE"), ("伊犁", "PLACE")]),
    ("以“科技创新·开放合作”为主题", [], []),
    # 本 (bin) between two dots is a part of the name; one chain, one person (two once overlapped and broke a build)
    ("原副王储穆罕默德·本·纳伊夫为王储", [(2, 4, "PERSON"), (4, 14, "PERSON"), (15, 17, "PERSON")],
     [("王储", "PERSON"), ("穆罕默德·本·纳伊夫", "PERSON"), ("王储", "PERSON")]),
    # two names in one chain of dots, the part between them no name: split at the particle and the title
    ("主席安德烈斯·阿亚曼多和该党总书记罗德里戈·乌维利亚出席", [(2, 11, "PERSON"), (17, 26, "PERSON")],
     [("安德烈斯·阿亚曼多", "PERSON"), ("罗德里戈·乌维利亚", "PERSON")]),
    ("碧桂园·凤凰城项目开盘", [], []),
])
def test_a_dotted_name_is_one_person(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("青海日报讯（记者 尼玛才让）近日，", [(9, 11, "PERSON")], [("尼玛才让", "PERSON")]),
    ("阿勒泰日报讯（通讯员 叶尔江加纳提）进入6月，", [(11, 14, "PERSON"), (14, 16, "PLACE")],
     [("叶尔江加纳提", "PERSON")]),
    ("江门日报讯（记者/李雨溪 通讯员/朱苗欣）昨日，", [], [("李雨溪", "PERSON"), ("朱苗欣", "PERSON")]),
    ("标题\n□江门日报记者 何榕 陈婵\n正文。", [], [("何榕", "PERSON"), ("陈婵", "PERSON")]),
    ("记者从市里获悉，工程开工。", [], []),  # 记者 in a sentence is no byline
    ("（本报记者温宪摄）", [(5, 8, "PERSON")], [("温宪", "PERSON")]),  # 摄: took the photo
    # a credit in brackets of its own, without a dateline; the model ran the names together across the space
    ("（西藏日报记者 央金 边巴次仁）近日，", [(8, 15, "PERSON")], [("央金", "PERSON"), ("边巴次仁", "PERSON")]),
    ("图为采茶现场。（衡阳日报记者 刘肖 摄）", [(15, 19, "PERSON")], [("刘肖", "PERSON")]),
    ("（记者 张三 李四）", [(4, 8, "PERSON")], [("张三", "PERSON"), ("李四", "PERSON")]),
    ("（记者从区住建局获悉）今年", [], []),  # prose in brackets is no credit
])
def test_the_people_of_a_byline_are_people(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, cut, expected", [
    ("局长萨仁其其格介绍，今年", "萨仁", "萨仁其其格"),     # Mongolian: runs on to the verb
    ("副县长才让东周表示，县里", "才让东", "才让东周"),     # Tibetan
    ("彝绣能手沙马拉且，今年", "沙马拉", "沙马拉且"),          # Yi, before punctuation
    ("习近平最后表示，", "习近平", "习近平"),             # 最后 is not written in such names
    ("普京总统说，", "普京", "普京"),                     # a title after the name
    ("巴特尔一家说，", "巴特尔", "巴特尔"),               # 一家 is not part of it
    ("张伟今天说，", "张伟", "张伟"),                     # a Han name: no more than three characters
    ("冯至先生身患绝症时", "冯", "冯至"),                 # a surname alone runs on to the name
    ("部长孙家正首先向李鹏汇报", "孙", "孙家正"),         # 家 may stand in a given name
    ("林一兵等100名个人被授予", "林", "林一兵"),
    ("居民扎西顿珠刚做完手术", "扎西顿珠", "扎西顿珠"),   # 刚 (just) is no part of a name
    ("侯老的行动感动了周围的人们", "侯", "侯"),             # 侯老, 郑某, 孙家: the surname is how they are called
    ("便认作是郑某在搞鬼。", "郑", "郑"),
])
def test_a_long_name_the_model_cut_runs_on_to_the_verb(text, cut, expected):
    spans = [(text.index(cut), text.index(cut) + len(cut), "PERSON")]
    assert _rules("kg_names", text, spans) == [(expected, "PERSON")]


@pytest.mark.parametrize("text, spans, expected", [
    ("表彰田野、黄杨玉珍、战国强等20名优秀网格员", [(5, 9, "PERSON")],
     [("田野", "PERSON"), ("黄杨玉珍", "PERSON"), ("战国强", "PERSON")]),
    ("格桑旺堆、达瓦等12名村民正忙着", [], [("格桑旺堆", "PERSON"), ("达瓦", "PERSON")]),
    ("村民马者斗、卢梭门等人一早就下田", [(6, 9, "PERSON")], [("马者斗", "PERSON"), ("卢梭门", "PERSON")]),
    # no names: people words, groups, places counted otherwise
    ("党员、群众等200余人参加活动", [], []),
    ("干部群众等300多人参加", [], []),
    ("江门、佛山等5个城市", [(0, 2, "PLACE"), (3, 5, "PLACE")], [("江门", "PLACE"), ("佛山", "PLACE")]),
])
def test_the_names_of_a_list_that_counts_people(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    # a member list whose spaces were lost: the model's run-on "people" are cut into names by the counts
    ("委员：李鹏乔石李瑞环彭真朱镕基刘华清", [(3, 7, "PERSON"), (7, 15, "PERSON")],
     [("李鹏", "PERSON"), ("乔石", "PERSON"), ("李瑞环", "PERSON"), ("彭真", "PERSON"), ("朱镕基", "PERSON"),
      ("刘华清", "PERSON")]),
    # a surname inside a given name (丁石孙, 丁衡高), a dotted name between two names, a note in brackets
    ("丁文昌丁石孙丁衡高于珍于永波", [(0, 3, "PERSON"), (3, 8, "PERSON")],
     [("丁文昌", "PERSON"), ("丁石孙", "PERSON"), ("丁衡高", "PERSON"), ("于珍", "PERSON"), ("于永波", "PERSON")]),
    ("雷洁琼（女）李锡铭王丙乾帕巴拉·格列朗杰王光英程思远卢嘉锡", [(6, 12, "PERSON"), (16, 23, "PERSON")],
     [("雷洁琼", "PERSON"), ("李锡铭", "PERSON"), ("王丙乾", "PERSON"), ("帕巴拉·格列朗杰", "PERSON"),
      ("王光英", "PERSON"), ("程思远", "PERSON"), ("卢嘉锡", "PERSON")]),
    # four names and more that make a whole run, with no run-on "person": a list too
    ("（女）倪志福徐采栋高德占高潮唐佩珠（女）", [(3, 7, "PERSON"), (14, 17, "PERSON")],
     [("倪志福", "PERSON"), ("徐采栋", "PERSON"), ("高德占", "PERSON"), ("高潮", "PERSON"), ("唐佩珠", "PERSON")]),
    # prose: a long transliterated name, or two Japanese names, are no list
    ("乌克兰第聂伯罗彼得罗夫斯克州政府方面称", [(4, 13, "PERSON")], [("聂伯罗彼得罗夫斯克", "PERSON")]),
    ("副首相冈田克也和外相玄叶光一郎等8名大臣留任，财务大臣和国家战略担当大臣被更换",
     [(3, 7, "PERSON"), (10, 15, "PERSON")], [("冈田克也", "PERSON"), ("玄叶光一郎", "PERSON")]),
    ("张庆黎、何立峰和苗华出席开幕式。", [(0, 3, "PERSON"), (4, 7, "PERSON"), (8, 10, "PERSON")],
     [("张庆黎", "PERSON"), ("何立峰", "PERSON"), ("苗华", "PERSON")]),
    # two people side by side are no list of three
    ("王芳方毅出席", [(0, 2, "PERSON"), (2, 4, "PERSON")], [("王芳", "PERSON"), ("方毅", "PERSON")]),
])
def test_names_written_one_after_another(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, expected", [
    ("84岁高龄的武汉老人熊正兴在女儿陪同下", [("熊正兴", None)]),  # a word for people, like a title
    ("经营户次仁曲珍告诉记者，", []),                           # no surname: the rule stays out
    ("为妇女儿童事业作贡献", []),                              # 女儿 is no word before a name here
])
def test_a_name_after_a_word_for_people(text, expected):
    rules = spacy.blank("zh")
    rules.add_pipe("kg_names")
    assert [(e.text, e._.role) for e in rules(text).ents if e.label_ == "PERSON"] == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("布拖县民族中学举办比赛", [(0, 3, "PLACE")], [("布拖县民族中学", "ORG")]),
    ("互助县彩虹盘绣农民专业合作社接到订单", [(0, 3, "PLACE")], [("互助县彩虹盘绣农民专业合作社", "ORG")]),
    ("正在马德里一家医院接受治疗", [(2, 5, "PLACE")], [("马德里", "PLACE")]),
    ("英格兰和威尔士数百所学校停课", [(0, 3, "PLACE"), (4, 7, "PLACE")], [("英格兰", "PLACE"), ("威尔士", "PLACE")]),
    ("西双版纳报讯（记者 玉香）近日", [(0, 4, "PLACE")], [("西双版纳报", "ORG")]),
    ("袁加伟主持召开区委常委会会议", [(7, 12, "ORG")], []),  # a meeting
    ("一季度，公司海外销售额增长", [(4, 6, "ORG")], []),     # a body with no name
    ("区人大常委会主任", [(0, 6, "ORG")], [("区人大常委会", "ORG")]),
    ("本报讯 近日，", [], []),
])
def test_an_institution_or_a_paper_is_named_with_its_place(text, spans, expected):
    assert _rules("kg_orgs", text, spans) == expected


@pytest.mark.parametrize("text, expected", [
    ("日前，和龙市东城镇光东村的水田陆续插秧。", ["和龙市", "东城镇", "光东村"]),  # not 龙市东城镇
    ("习近平16号在浙江省乌镇集体会见", ["浙江省", "乌镇"]),
    ("市桥街道举办活动", ["市桥街道"]),  # 市 may start a name
])
def test_a_town_found_by_rule_does_not_swallow_the_city_before_it(nlp, text, expected):
    assert [e.text for e in nlp(text).ents if e.label_ == "PLACE"] == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("乌审旗嘎鲁图镇举办培训", [(0, 3, "PLACE"), (4, 7, "PLACE")], [("乌审旗", "PLACE"), ("嘎鲁图镇", "PLACE")]),
    ("深圳市将沙坪镇打造成", [(0, 3, "PLACE"), (4, 7, "PLACE")], [("深圳市", "PLACE"), ("沙坪镇", "PLACE")]),
])
def test_a_town_begun_one_character_late_gets_it_back(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("在思明区鹭江街道大同社区，", [(1, 4, "PLACE")], [("思明区", "PLACE"), ("鹭江街道", "PLACE"), ("大同社区", "PLACE")]),
    ("实现同乡村振兴有效衔接", [], []),                                    # 同 between words
    ("明确了乡村产业内涵特征", [], []),                                   # 乡村 is a word
    ("开展“法官进社区”活动", [], []),                                    # a campaign
    ("三是培训农村卫生人员，加强社区建设，总结镇、村两级经验", [], []),      # verbs, and the word 农村
    ("乡党委同村支书签订责任状", [(0, 3, "ORG")], [("乡党委", "ORG")]),    # a body is no village's name
    ("运行以来，仅郑口镇就要回欠款", [(6, 9, "PLACE")], [("郑口镇", "PLACE")]),  # 仅 is no part of it
    ("一个多贡族村庄遭袭", [], []),                                        # 村庄 is a word
    ("贫困乡、贫困民族乡及镇", [], []),                                    # categories
    # countries by one character each are places each (MSRA's annotation); names of those characters are not
    ("中俄关系和美英澳联盟", [(0, 2, "PLACE"), (5, 8, "PLACE")],
     [("中", "PLACE"), ("俄", "PLACE"), ("美", "PLACE"), ("英", "PLACE"), ("澳", "PLACE")]),
    ("两名中国女青年，中国驻墨西哥大使", [(2, 4, "ORG"), (8, 11, "ORG"), (11, 14, "PLACE")],
     [("中国", "PLACE"), ("中国", "PLACE"), ("墨西哥", "PLACE")]),   # a country is no organisation
    ("香港特别行政区选举第九届全国人民代表大会代表", [(0, 20, "ORG")],
     [("香港特别行政区", "PLACE"), ("第九届全国人民代表大会", "ORG")]),   # the place that elects, the assembly
    ("不采用为香港特别行政区法律", [(4, 13, "ORG")], [("香港特别行政区", "PLACE")]),  # a law is no body
    ("柬埔寨国家选举委员会宣布", [(0, 10, "ORG")], [("柬埔寨国家选举委员会", "ORG")]),
    ("捷克、匈牙利等中欧国家，西澳港口", [(7, 9, "PLACE"), (12, 14, "PLACE")], [("中欧", "PLACE"), ("西澳", "PLACE")]),
    ("中华民族在巴黎、华沙和蒙古", [(0, 2, "PLACE"), (5, 7, "PLACE"), (8, 10, "PLACE"), (11, 13, "PLACE")],
     [("中华", "PLACE"), ("巴黎", "PLACE"), ("华沙", "PLACE"), ("蒙古", "PLACE")]),
    ("考察了郑口、饶阳店两镇，要求镇上成立组织", [], []),                  # a count of towns; 镇上
    ("妇联在全国城乡发展网络，向中小城镇销售，远离家乡", [], []),          # 城乡, 城镇, 家乡: words
    ("做到“小事不出村、大事不出镇”", [], []),                             # a slogan
    ("队联村，村联镇，并乡扩镇，一介村妇，安全文明村镇", [], []),          # chains of levels, 村妇, 村镇
    ("石城乡位于县城东部，南蔡村镇紧邻", [], [("石城乡", "PLACE"), ("南蔡村镇", "PLACE")]),
    ("开展科技卫生“三下乡”活动，送戏下乡120场，村帐乡管", [], []),        # campaigns and words, not townships
    ("3公里碧道和一处村史馆", [], []),                                    # 村史馆 is a word
    ("丹英社区举办朝鲜族传统美食节", [(6, 8, "PLACE")], [("丹英社区", "PLACE")]),  # 朝鲜族: a people
    ("广东省援藏干部", [(0, 3, "PLACE"), (4, 5, "PLACE")], [("广东省", "PLACE")]),
    ("来自爱路街道春光社区的田野", [(0, 6, "PLACE")], [("爱路街道", "PLACE"), ("春光社区", "PLACE")]),
    ("兰陵县卞庄街道代村召开", [(0, 3, "PLACE"), (3, 9, "PLACE")],
     [("兰陵县", "PLACE"), ("卞庄街道", "PLACE"), ("代村", "PLACE")]),
    ("推动江门区域协调发展", [(2, 5, "PLACE")], [("江门", "PLACE")]),          # 区域 is no district
    ("松北区太阳岛风景区近日启动", [(0, 3, "PLACE"), (3, 6, "PLACE")], [("松北区", "PLACE"), ("太阳岛风景区", "PLACE")]),
    ("佛山等机场旅客吞吐量", [(0, 2, "PLACE")], [("佛山", "PLACE")]),
    ("光东村党支部书记崔哲浩介绍", [], [("光东村党支部", "ORG")]),  # a village's committee found with the village
    ("北楼村党总支部书记黄树新", [], [("北楼村党总支部", "ORG")]),
    ("新疆巴音郭楞蒙古自治州库尔勒市香梨开采", [(11, 16, "PLACE")], [("库尔勒市", "PLACE")]),  # 香 is the pear's
    ("黄浦区区委书记周伟", [(0, 5, "PLACE")], [("黄浦区区委", "ORG")]),  # (kg_names then keeps 黄浦区 of the title)
    ("山西省委专项巡视", [(0, 4, "PLACE")], [("山西省委", "ORG")]),                      # a party committee
    ("外海街道网格员上门送药", [(0, 5, "PLACE")], [("外海街道", "PLACE")]),
    ("西直河石材市场", [(0, 7, "PLACE")], [("西直河石材市场", "PLACE")]),
])
def test_place_names_and_their_endings(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("为京津冀地区的企业", [(1, 2, "PLACE"), (2, 6, "PLACE")], [("京津冀", "PLACE")]),
    ("缓解粤西方向的交通", [(2, 3, "PLACE")], [("粤西", "PLACE")]),
    ("长三角地区经济", [(0, 5, "PLACE")], [("长三角", "PLACE")]),
    ("相关中成药", [], []),                                       # 关中 inside words
    ("华东师范大学", [(0, 6, "ORG")], [("华东师范大学", "ORG")]),  # inside a name
])
def test_a_region_is_a_place_of_its_own(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


def test_a_role_starts_at_the_entity_inside_it(nlp):
    rules = spacy.blank("zh")
    rules.add_pipe("kg_names")
    doc = rules.make_doc("李强16日同荷兰首相吕特通电话。")
    doc.ents = [doc.char_span(0, 2, label="PERSON"), doc.char_span(6, 8, label="PLACE"),
                doc.char_span(10, 12, label="PERSON")]
    people = [(e.text, e._.role) for e in rules.get_pipe("kg_names")(doc).ents if e.label_ == "PERSON"]
    assert people == [("李强", None), ("吕特", "荷兰首相")]  # not 日同荷兰首相


@pytest.mark.parametrize("text, spans, expected", [
    # a body named in the role is an organisation of its own, linked to the person
    ("外交部副部长李肇星出席", [(0, 3, "ORG"), (6, 9, "PERSON")], [("外交部", "ORG"), ("李肇星", "PERSON")]),
    ("（新华社记者兰红光摄）", [(1, 4, "ORG"), (6, 9, "PERSON")], [("新华社", "ORG"), ("兰红光", "PERSON")]),
    # a bare one is part of the title (the guidelines: 区委书记, 村党支部书记 carry no entity)
    ("区委书记袁加伟主持", [(0, 2, "ORG"), (4, 7, "PERSON")], [("袁加伟", "PERSON")]),
    ("县纪委书记王强说", [(0, 3, "ORG"), (5, 7, "PERSON")], [("王强", "PERSON")]),
])
def test_a_body_in_a_role_stays_when_it_is_named(text, spans, expected):
    assert _rules("kg_names", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    # a paper's name is the model's where it saw one starting later: the walk left found a clause
    ("为做好1998年人民日报的发行工作", [(8, 12, "ORG")], [("人民日报", "ORG")]),
    ("社长在会上代表人民日报编委会致辞", [(7, 14, "ORG")], [("人民日报编委会", "ORG")]),
    ("西双版纳报讯 今年", [(0, 4, "PLACE")], [("西双版纳报", "ORG")]),   # a paper in its dateline
    # counted bodies and a social group are no organisation's name
    ("武汉、西安十大城市党委宣传部", [(0, 2, "PLACE"), (3, 5, "PLACE")], [("武汉", "PLACE"), ("西安", "PLACE")]),
    ("严格控制社会集团购买力", [], []),
    ("引入吉林长白山文旅发展有限公司共同打造", [], [("吉林长白山文旅发展有限公司", "ORG")]),  # 引入 is no part of it
])
def test_papers_and_counted_bodies(text, spans, expected):
    assert _rules("kg_orgs", text, spans) == expected


def test_a_prefecture_or_league_splits_from_the_county_after_it():
    assert _rules("kg_places", "入冬前，海北州刚察县的牧民", [(4, 10, "PLACE")]) == [("海北州", "PLACE"), ("刚察县", "PLACE")]
    assert _rules("kg_places", "在广州市天河区", [(1, 7, "PLACE")]) == [("广州市", "PLACE"), ("天河区", "PLACE")]
    assert _rules("kg_places", "杭州湾新区", [(0, 5, "PLACE")]) == [("杭州湾新区", "PLACE")]  # 州 after two characters


def test_a_park_visited_is_a_place_and_an_engineer_no_project(nlp):
    found = ents(nlp, "5月14日，昌吉市委书记刘振宇带队到昌吉国家农业科技园区，调研设施农业。")
    assert ("昌吉国家农业科技园区", "PLACE") in found and ("刘振宇", "PERSON") in found
    assert not [t for t, label in found if label == "PROJECT"]
    assert find_projects("星拓智能总工程师孙浩然介绍，工程院院士到场") == []


def test_a_street_read_as_a_name_is_a_place():
    assert _rules("kg_places", "卜奎大街将于10月底前全线通车", [(0, 4, "PERSON")]) == [("卜奎大街", "PLACE")]


@pytest.mark.parametrize("text, spans, expected", [
    ("郑亚楠是濮阳县文留镇前庄村的驻村第一书记", [(0, 3, "PERSON"), (4, 13, "ORG")],
     [("郑亚楠", "PERSON"), ("濮阳县", "PLACE"), ("文留镇", "PLACE"), ("前庄村", "PLACE")]),
    ("在龙沙区卜奎大街改造工地上", [(1, 8, "PLACE")], [("龙沙区", "PLACE"), ("卜奎大街", "PLACE")]),
    ("贵阳日报讯 近日", [(0, 5, "ORG")], [("贵阳日报", "ORG")]),
    ("珠海市人民医院横琴院区开诊", [(0, 11, "ORG")], [("珠海市人民医院横琴院区", "ORG")]),  # a hospital's campus
])
def test_the_models_place_slips_are_mended(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


def test_a_park_where_something_is_is_a_place(nlp):
    found = ents(nlp, "兰州新区秦川园区内，企业的生产线全速运转。")
    assert ("兰州新区", "PLACE") in found and ("秦川园区", "PLACE") in found
    assert [t for t, label in found if label == "PROJECT"] == []
    found = ents(nlp, "该项目落户兰州新区化工园区。")
    assert ("化工园区", "PLACE") in found and [t for t, label in found if label == "PROJECT"] == []
    assert ("凯途体育智能制造产业园", "PROJECT") in ents(nlp, "共建凯途体育智能制造产业园。")  # being built: a project


def test_a_paragraph_break_reads_like_the_start_of_a_text(nlp):
    from kg.pipeline.architectures import CharFeatures, CharFeaturesSpacesAsStop

    blank = spacy.blank("zh")
    after_break, alone = blank("冲洗。\n王受文表示"), blank("王受文表示")
    v1, v2 = CharFeatures(), CharFeaturesSpacesAsStop()
    at = after_break.text.index("王")
    assert (v2.predict([after_break])[0][at] == v2.predict([alone])[0][0]).all()  # 王's features: as at a start
    assert not (v1.predict([after_break])[0][at] == v1.predict([alone])[0][0]).all()
    # with the shipped model: a name starting a paragraph is found as one starting the text
    assert ("王受文", "PERSON") in ents(nlp, "是由他自己来冲洗。\n王受文表示，中国将进一步开放。")


def test_company_and_chairman(nlp):
    found = ents(nlp, "深圳市芯联电股份有限公司董事长郑建国对江海区的营商环境颇为赞赏。")
    assert ("深圳市芯联电股份有限公司", "ORG") in found
    assert ("郑建国", "PERSON") in found
    doc = nlp("深圳市芯联电股份有限公司董事长郑建国")
    assert [e._.role for e in doc.ents if e.label_ == "PERSON"] == ["董事长"]


@pytest.mark.parametrize("text, expected", [
    ("去年12月25日，在江海区优巨新材特种工程改性塑料及总部建设项目现场，总部大楼已封顶。图为优巨新材项目建设现场。",
     "优巨新材特种工程改性塑料及总部建设项目"),
    ("5G数据通讯与传输线缆智能制造总部基地近期已进入内部装修阶段。", "5G数据通讯与传输线缆智能制造总部基地"),
    ("江海区加快建设江中高速改扩建、五邑路扩建等外联交通项目。", "江中高速改扩建"),
    ("同一周，又一科创产业园项目封顶。", "又一科创产业园项目"),
])
def test_named_projects(nlp, text, expected):
    assert (expected, "PROJECT") in ents(nlp, text)


@pytest.mark.parametrize("text", [
    "随着六大产业项目落地投产，基础设施建设提速。",
    "帮助每一个重点项目完成冲刺跑。",
    "目前该项目已进入招商阶段。",
    "要加快推进救治中心建设。",
    "江海区委重大项目招引建设工作打好收官战。",
    "外海街道公共服务中心联合举办活动。",
    "141个区重点项目完成投资180亿元。",
    "昨日，瓯海区举行一季度重大项目集中签约活动，共签约项目15个。",
    "海口市美兰区近日召开重点项目建设推进会，通报了一季度38个重点项目的建设进度。",
    "江海区今年共安排区级重点项目52个。",
    "市委书记陈星宣布项目开工。",
    "市发改委负责同志介绍了项目情况。",
    "推介会现场签约项目12个。",
    "齐齐哈尔市城市更新项目建设正酣。",
    "道路拓宽工程已完成70%。",
    "广东省交通集团有限公司项目负责人冯卫东介绍。",
    "台州市黄岩区模具产业服务中心近日挂牌运行。",
    "董家口港区矿石、煤炭等货物吞吐量增长。",
    "驻马店市2025年第二批重点项目集中开工仪式举行。",
    "全市物流园建设加快。",
    "共建研发中心和智能仓储中心。",      # what a project does names nothing
    "西吉县将台堡镇的马铃薯种薯基地进入田间管理期。",
    "我们要像嫩江基地那样，充分认识科学技术",       # a comparison
    "为青年科技工作者参与重大科研项目创造条件，承担科技攻关项目",
    "建设法律体系是一项跨世纪的宏伟系统工程",                 # a metaphor
    "开展新的工业及技术项目的合作",                 # kinds joined by 及
    "全面推动与具体合作项目相结合",
    "我提出在亚太经合组织范畴内建立一个科技工业园区网络",
    "这一民生工程总投资9.8亿元。",                  # 这一 points back, it names nothing
    "南康区举行家具产业重大项目集中签约仪式。",      # …重大项目 is a category whatever comes before it
    "东台市2025年春季重大项目集中开工。",
    "石龙村建设了有机蔬菜示范基地。",
    "12家企业在乡里建有原料基地。",
    "中美签署7个经贸合作项目。",                    # a count of projects names none
    "公司在渔泽镇建有5000亩有机谷子基地，",          # a field measured in 亩 is no project
    "村里将闲置民房改造成研学基地。",
    "服务队都会到科技园周边社区走访。",
])
def test_generic_phrases_are_not_projects(nlp, text):
    assert [t for t, label in ents(nlp, text) if label == "PROJECT"] == []
    assert find_projects(text) == []


@pytest.mark.parametrize("text, spans, expected", [
    # a place the model found, then a category: no project; a place that is the project's whole name: one
    ("加方在华直接投资项目三千三百多个。", [(0, 1, "PLACE"), (3, 4, "PLACE")], [("加", "PLACE"), ("华", "PLACE")]),
    ("柳州重点项目建设加快", [(0, 2, "PLACE")], [("柳州", "PLACE")]),
    ("平陆运河项目建设加快", [(0, 4, "PLACE")], [("平陆运河项目", "PROJECT")]),
    ("明珠湾智慧城市总部基地开工", [(0, 3, "PLACE")], [("明珠湾智慧城市总部基地", "PROJECT")]),
])
def test_a_place_before_a_category_is_no_project(text, spans, expected):
    assert _rules("kg_projects", text, spans) == expected


@pytest.mark.parametrize("text, expected", [
    ("局获悉，成都地铁27号线一期工程已进入铺轨阶段。", "成都地铁27号线一期工程"),
    ("推动于都县纺织服装产业园提档升级。", "于都县纺织服装产业园"),
    ("螺蛳粉产业园二期日前开工。", "螺蛳粉产业园二期"),
    ("阿特斯食品(江门)新型生产基地竣工。", "阿特斯食品(江门)新型生产基地"),
    ("柳州市重点民生工程柳江区人民医院新院区建设项目通过验收。", "柳江区人民医院新院区建设项目"),
    ("中山日报讯（记者/梁宇航）海越海上风电装备产业基地项目近日动工", "海越海上风电装备产业基地项目"),  # after the byline’s ）
    ("签约锐邦精密年产1.2亿件精密连接器项目；", "锐邦精密年产1.2亿件精密连接器项目"),  # a decimal point stays in
    ("扎赉特旗10万亩盐碱地综合利用项目开工。", "扎赉特旗10万亩盐碱地综合利用项目"),  # 亩 in a project's name
])
def test_project_rules_find_whole_names(text, expected):
    assert [text[s:e] for s, e in find_projects(text)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("走访辖区企业江门市科恒达电子科技有限公司。", "江门市科恒达电子科技有限公司"),
    ("社区与宁波甬膳餐饮管理有限公司签约。", "宁波甬膳餐饮管理有限公司"),
    ("由浙江泰昌实业集团有限公司投资建设。", "浙江泰昌实业集团有限公司"),
    # a party or a role written before the name is no part of it
    ("纠纷案。原告苏州锦绣丝绸科技有限公司诉称，", "苏州锦绣丝绸科技有限公司"),
    ("每餐8元。食堂运营方郑州颐乐养老服务有限公司负责人介绍，", "郑州颐乐养老服务有限公司"),
    ("前年回乡创办安吉竹语文创有限公司。", "安吉竹语文创有限公司"),
])
def test_whole_company_names(nlp, text, expected):
    assert (expected, "ORG") in ents(nlp, text)


def test_an_office_is_named_with_the_place_before_it(nlp):
    # the gazetteer's 市交通运输局 (an office short form) had cut 江门 off its own 江门市
    assert ("江门市交通运输局", "ORG") in ents(nlp, "江门市交通运输局已同步调整了交通指示。")
    assert ("全市交通运输局", "ORG") not in ents(nlp, "全市交通运输局召开会议。")  # 全市 is no place


@pytest.mark.parametrize("text", ["这家公司去年营收增长。", "该公司的子公司也在其中。", "一家科技公司落户。",
                                  "据美国媒体29日报道，",                 # 日报道: reported on the 29th
                                  "泰兴加紧培养后备干部队伍本报讯江苏泰兴市",  # 本报讯: this paper
                                  "这两个集团的联合"])
def test_generic_company_words_are_not_orgs(text):
    from kg.pipeline.components import find_companies

    assert find_companies(text) == []


def test_gazetteer_office_short_forms(nlp):
    found = ents(nlp, "区经促局相关负责人表示，新港路、龙溪路等道路全面动工。")
    assert ("区经促局", "ORG") in found and ("新港路", "PLACE") in found


def test_a_place_before_a_company_the_article_names_on_its_own_stays_a_place(nlp):
    found = ents(nlp, "在江海区优巨新材特种工程改性塑料及总部建设项目现场。图为优巨新材项目建设现场。")
    assert ("江海区", "PLACE") in found


@pytest.mark.parametrize("text, expected", [
    ("柳南区螺蛳粉产业园二期今年建成投产。", "柳南区螺蛳粉产业园二期"),
    ("总投资3亿元的平桥镇茶叶精深加工产业园一期开工，茶叶加工企业将陆续入驻。", "平桥镇茶叶精深加工产业园一期"),
    ("高要区人民医院新院区建设项目封顶，高要区人民医院将整体搬迁。", "高要区人民医院新院区建设项目"),
])
def test_a_project_keeps_the_place_it_is_named_with(nlp, text, expected):
    assert (expected, "PROJECT") in ents(nlp, text)


@pytest.mark.parametrize("text, sentences", [
    ("第一句。第二句！第三句？第四句；", ["第一句。", "第二句！", "第三句？", "第四句；"]),
    ("他说：“我们要努力。继续前进。”然后离开了。", ["他说：“我们要努力。继续前进。”", "然后离开了。"]),
    ("标题没有句号\n正文第一句。", ["标题没有句号", "正文第一句。"]),
    ("“为了按时完成项目计划。”方志英说。", ["“为了按时完成项目计划。”方志英说。"]),
])
def test_sentences(nlp, text, sentences):
    assert [s.text.strip() for s in nlp(text).sents if s.text.strip()] == sentences


def test_user_patterns_win(tmp_path):
    path = tmp_path / "patterns.jsonl"
    path.write_text(json.dumps({"label": "PROJECT", "pattern": "智慧网格"}, ensure_ascii=False) + "\n"
                    + json.dumps({"label": "ORG", "pattern": [{"TEXT": "九"}, {"TEXT": "三"}, {"TEXT": "学"}, {"TEXT": "社"}]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    nlp = load_pipeline(patterns=path)
    found = ents(nlp, "江海区发挥智慧网格服务群众的功能，九三学社送春联。")
    assert ("智慧网格", "PROJECT") in found and ("九三学社", "ORG") in found


def test_bad_patterns_file_names_the_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"label": "PROJECT", "pattern": "甲乙"}\n{"label": "DRUG", "pattern": "x"}\n', encoding="utf-8")
    with pytest.raises(PipelineError, match=r"p\.jsonl:2: label 'DRUG'"):
        load_pipeline(patterns=path)


def _ontonotes_standin(path):
    """A pipeline shaped like zh_core_web_sm: a word tokenizer and OntoNotes labels."""
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "郑建国"},
        {"label": "ORG", "pattern": "芯联电公司"},
        {"label": "GPE", "pattern": "江门市"},
        {"label": "LOC", "pattern": "珠江"},
        {"label": "FAC", "pattern": "会港大道"},
        {"label": "DATE", "pattern": "1月4日"},
        {"label": "MONEY", "pattern": "180亿元"},
    ])
    nlp.to_disk(path)
    return path


def test_other_pipeline_labels_are_mapped(tmp_path):
    nlp = load_pipeline(_ontonotes_standin(tmp_path / "standin"))
    assert {"kg_sentences", "kg_label_map", "kg_orgs", "kg_projects", "kg_names"} <= set(nlp.pipe_names)
    found = set(ents(nlp, "1月4日，江门市会港大道旁，芯联电公司郑建国在珠江边投资180亿元。"))
    assert found == {("江门市", "PLACE"), ("会港大道", "PLACE"), ("芯联电公司", "ORG"), ("郑建国", "PERSON"), ("珠江", "PLACE")}


def test_missing_pipeline_says_how_to_install():
    with pytest.raises(PipelineError) as err:
        load_pipeline("zh_core_web_nonexistent")
    message = str(err.value)
    assert "\n" not in message and "not installed" in message and "spacy download zh_core_web_nonexistent" in message


MSRA_TEST = SHARED_DATA / "ner" / "msra" / "test.jsonl"
# On the fixed sample below the packaged model alone scores 0.803 and the whole pipeline 0.906 (its rules cut
# the sample's lists of names written with no mark between them, 李鹏乔石李瑞环…); a worse one must not land.
MSRA_FLOOR = {"model": 0.79, "pipeline": 0.89}


@pytest.mark.skipif(not MSRA_TEST.exists(), reason=f"{MSRA_TEST} is absent: the shared corpora are not beside this checkout")
@pytest.mark.parametrize("part", sorted(MSRA_FLOOR))
def test_accuracy_floor_on_msra_test(nlp, part):
    labels = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
    with MSRA_TEST.open(encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(1500), f)]  # a fixed sample: the first 1,500
    gold = [[(s, e, labels[l]) for s, e, l in r["spans"]] for r in records]
    names = ["tok2vec", "ner"] if part == "model" else nlp.pipe_names
    with nlp.select_pipes(enable=names):
        pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(r["text"] for r in records)]
    assert score_spans(gold, pred, labels=("PERSON", "ORG", "PLACE"))["micro"]["f"] >= MSRA_FLOOR[part]


ASSETS = Path(__file__).resolve().parent.parent / "training" / "assets"
# Exact-span micro F1 (PERSON/ORG/PLACE/PROJECT) of the whole pipeline on the hand-annotated news sets;
# each floor sits a little under today's score, so a model or rule change that loses local news cannot land.
LOCAL_FLOORS = {"local_news.jsonl": 0.94, "local_news_holdout.jsonl": 0.92, "local_news_paragraphs.jsonl": 0.92,
                "local_news_names.jsonl": 0.92, "local_news_holdout2.jsonl": 0.93, "local_news_articles.jsonl": 0.94,
                "local_news_holdout3.jsonl": 0.91, "local_news_holdout4.jsonl": 0.88}


@pytest.mark.parametrize("name", sorted(LOCAL_FLOORS))
def test_accuracy_floor_on_hand_annotated_local_news(nlp, name):
    rows = [json.loads(line) for line in (ASSETS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [[tuple(s) for s in r["spans"]] for r in rows]
    pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(r["text"] for r in rows)]
    assert score_spans(gold, pred)["micro"]["f"] >= LOCAL_FLOORS[name]


@pytest.mark.parametrize("text, expected", [
    ("合作社与河南豫香食品有限公司签订供货协议，豫香食品每年收购鲜薯2000吨。", "豫香食品"),
    ("原告与被告上海贤农农业科技有限公司签订合同，贤农公司未按约付款。", "贤农公司"),
    ("工程由重庆渝通路桥工程有限公司承建。渝通路桥项目经理向宗林介绍，工期两年。", "渝通路桥"),
    ("枝江市与湖北楚能生物科技有限公司举行签约仪式，楚能生物将建设三条生产线。", "楚能生物"),
])
def test_a_company_named_in_full_is_found_by_its_short_name_too(nlp, text, expected):
    found = ents(nlp, text)
    assert (expected, "ORG") in found
    assert not any(label == "PROJECT" and expected in name for name, label in found)  # 渝通路桥项目 is no project


@pytest.mark.parametrize("text, absent", [
    ("豫香食品每年收购鲜薯2000吨。", "豫香食品"),  # no full name in the article: nothing to shorten
    ("河南豫香食品有限公司成立于2010年，河南豫香食品有限公司的产品远销海外。", "豫香食品"),  # only the full name
    ("湖北楚能生物科技有限公司签约，楚能将建设三条生产线。", "楚能"),  # two characters alone are no name
    ("中国石油天然气集团有限公司签约。多家中国公司参与竞标。", "中国公司"),  # a country is no brand
])
def test_no_short_company_name_without_its_full_name(nlp, text, absent):
    assert (absent, "ORG") not in ents(nlp, text)


def test_a_company_starts_after_the_word_for_a_party_to_a_case(nlp):
    found = ents(nlp, "原告与被告四川蜀果农业发展有限公司签订收购合同。")
    assert ("四川蜀果农业发展有限公司", "ORG") in found


@pytest.mark.parametrize("text, expected, label", [
    ("指挥部组织青堆镇、黑岛镇转移渔排养殖人员。", "青堆镇", "PLACE"),
    ("街道办事处还联合蓟州区人民医院，为辖区老人体检。", "蓟州区人民医院", "ORG"),
    ("波密县将串联扎木镇、古乡等地的旅游资源。", "扎木镇", "PLACE"),
])
def test_a_verb_before_a_place_or_body_is_not_part_of_it(nlp, text, expected, label):
    assert (expected, label) in ents(nlp, text)


@pytest.mark.parametrize("text", ["通过民主治村，增强凝聚力", "清澈的溪水绕村而过", "被分配到民歌之乡的山西工作",
                                  "愿意回乡就业的返乡农民工", "成为全县的小康村。"])
def test_phrases_ending_in_a_village_word_are_no_places(text):
    assert find_local_places(text) == []


def test_a_ministry_named_with_sheng_is_no_province():
    assert _rules("kg_orgs", "大藏省说，", [(0, 3, "ORG")]) == [("大藏省", "ORG")]
    assert _rules("kg_places", "日本陆军省次官", [(2, 5, "ORG")]) == [("陆军省", "ORG")]
    assert _rules("kg_places", "代表国际扶轮港澳区向", [(2, 9, "ORG")]) == [("国际扶轮港澳区", "ORG")]
    assert _rules("kg_orgs", "滑县召开会议", [(0, 2, "ORG")]) == [("滑县", "PLACE")]


def test_a_village_party_branch_read_as_a_place_is_a_body():
    assert _rules("kg_orgs", "巴彦图嘎嘎查党支部书记额尔敦说", [(0, 9, "PLACE")]) == [("巴彦图嘎嘎查党支部", "ORG")]


@pytest.mark.parametrize("text, spans, expected", [
    ("据大集镇统计，全镇现有", [(0, 4, "PLACE")], [("大集镇", "PLACE")]),
    ("带动周边港北村、英豪村村民", [(2, 7, "PLACE"), (8, 11, "PLACE")], [("港北村", "PLACE"), ("英豪村", "PLACE")]),
    ("听取镇党委关于农文旅融合的汇报", [(0, 5, "ORG")], [("镇党委", "ORG")]),
    ("航线通达东南亚、南太平洋等地", [(2, 7, "PLACE")], [("东南亚", "PLACE")]),
    ("据说这里风景好", [], []),
    ("在强手如林的深圳市场上", [(6, 9, "PLACE")], [("深圳", "PLACE")]),  # 市场, not the city's 市
    ("深圳市召开会议", [(0, 3, "PLACE")], [("深圳市", "PLACE")]),
])
def test_a_verb_the_model_took_into_a_place_or_body_is_cut(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


@pytest.mark.parametrize("text, spans, expected", [
    ("对平遥古城内42处文物建筑开展检查", [(1, 3, "PLACE")], [("平遥古城", "PLACE")]),
    ("游船从磨盘山码头出发", [(3, 6, "PLACE")], [("磨盘山码头", "PLACE")]),
    ("丽江市古城区召开会议", [(0, 3, "PLACE")], [("丽江市", "PLACE")]),      # 古城区 is a district
    ("要抓好岳阳港码头整治", [(3, 6, "PLACE")], [("岳阳港", "PLACE")]),      # the port's wharves
    # an airport is named with its city: one place; a country or prefecture before it stays apart
    ("定点上下客，桂林两江国际机场假期", [(6, 8, "PLACE"), (8, 14, "PLACE")], [("桂林两江国际机场", "PLACE")]),
    ("在韩国仁川国际机场举行", [(1, 3, "PLACE"), (3, 9, "PLACE")], [("韩国", "PLACE"), ("仁川国际机场", "PLACE")]),
])
def test_a_landmark_keeps_its_own_ending(text, spans, expected):
    assert _rules("kg_places", text, spans) == expected


@pytest.mark.parametrize("text, expected", [
    ("联合国教科文组织官员到访。", ("联合国教科文组织", "ORG")),
    ("联合村村民说，路修好了。", ("联合村", "PLACE")),
])
def test_names_that_start_like_such_a_verb_stay_whole(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text", [
    "各镇主要负责人分别汇报了项目推进情况。",
    "要坚持“要素跟着项目走”。",
    "此次签约项目涵盖新能源、新材料等领域。",
    "将老年助餐服务列入民生实事项目。",
    "马家店街道将同步推进园区配套道路建设。",
    "施工期间项目部克服山高坡陡等困难。",
    "公司将打造更多沉浸式体验项目。",
    "将其纳入千项技改项目。",
    "中国企业在海外承建项目超过百个。",
    "她获得男子25米手枪速射项目金牌。",  # a sports event
    "国务院历来高度重视三峡工程。",
])
def test_phrases_about_projects_are_not_projects(nlp, text):
    assert not [e for e in ents(nlp, text) if e[1] == "PROJECT"]


@pytest.mark.parametrize("text, expected", [
    ("县领导桑玉洁、毛振国、寇德民参加会议。", ["桑玉洁", "毛振国", "寇德民"]),
    ("路桂芬、于德顺、边国庆等低龄老人定期上门看望独居老人。", ["路桂芬", "于德顺", "边国庆"]),
    ("陈雷、达久木甲、磨长英、谢茹、张茅、饶子和、周慕冰、谷振春等8位常委作了发言。", ["周慕冰", "谷振春"]),
    ("庭审中，审判长冉光明组织双方围绕合同效力展开辩论。", ["冉光明"]),
    ("76岁的居民仉淑琴说。", ["仉淑琴"]),
])
def test_people_of_a_list_after_a_name_and_after_titles(nlp, text, expected):
    people = [name for name, label in ents(nlp, text) if label == "PERSON"]
    assert all(name in people for name in expected), people


@pytest.mark.parametrize("text, wrong", [
    ("是一种有效的领导方法和工作方法。", "方法"),
    ("张三、王庄村和李庄村的村民都来了。", "王庄村"),
    ("赖歇称，去年德国对美国出口下降。", "赖歇称"),
    ("尼方愿同中方加强合作，伊核问题全面协议得到落实。", "尼方"),
    ("尼方愿同中方加强合作，伊核问题全面协议得到落实。", "伊核"),
])
def test_no_person_made_of_a_word_a_place_or_a_verb(nlp, text, wrong):
    assert (wrong, "PERSON") not in ents(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("泾县正加快推进宣纸文化园二期建设，串联丁家桥镇、桃花潭镇等地的旅游资源。", ("丁家桥镇", "PLACE")),
    ("五常市民乐朝鲜族乡红光村的稻田里，收割机来回穿梭。", ("民乐朝鲜族乡", "PLACE")),
    ("企业已与托乎拉乡、吐木秀克镇的12家合作社签订协议。", ("托乎拉乡", "PLACE")),
    ("派出所联合陈营镇政府、万年县教育局开展宣传。", ("陈营镇政府", "ORG")),
    ("在隆回县人民医院心内科门诊，来自金石桥镇的患者说。", ("隆回县人民医院", "ORG")),
    ("在洛川县电子商务产业园，洛果集团的直播间里灯火通明。", ("洛川县电子商务产业园", "PLACE")),
    ("公司拟在新川创新科技园投资45亿元建设研发中心。", ("新川创新科技园", "PLACE")),  # where the money goes
    ("在鹿泉区智能装备产业园建设现场，工人正在吊装钢梁。", ("鹿泉区智能装备产业园", "PROJECT")),  # what is built
    ("湄潭县茶产业发展中心负责人骆珊珊介绍，今年春茶产量增加。", ("湄潭县茶产业发展中心", "ORG")),
    ("主会场项目泗洪光伏玻璃深加工项目总投资16亿元。", ("泗洪光伏玻璃深加工项目", "PROJECT")),
])
def test_places_bodies_and_projects_of_whole_articles(nlp, text, expected):
    found = ents(nlp, text)
    assert expected in found
    assert not any(p in name for name, _ in found for p in "，。、")  # no name runs over a mark


@pytest.mark.parametrize("text, wrong", [
    ("组织青堆镇、黑岛镇、石城乡等沿海乡镇转移渔排养殖人员。", ("沿海乡镇", "PLACE")),
    ("现在在县医院就能挂上号。", ("县医院", "ORG")),
    ("并邀请人大代表韦桂兰、政协委员张建国参加。", ("人大", "ORG")),
    ("并邀请人大代表韦桂兰、政协委员张建国参加。", ("政协", "ORG")),
    ("主会场项目泗洪光伏玻璃深加工项目总投资16亿元。", ("主会场项目", "PROJECT")),
])
def test_categories_and_titles_are_no_entities(nlp, text, wrong):
    assert wrong not in ents(nlp, text)


def test_a_person_cut_short_is_named_as_in_full_elsewhere(nlp):
    text = ("礼乐街道新华村专职网格员邓群好根据村(社区)人员底册,上门探访村内独居老人王柱。\n"
            "“我们联系了村卫生站的医生,并将退烧药送到其家里。”邓群好告诉记者,考虑到老人独自居住")
    assert [name for name, label in ents(nlp, text) if label == "PERSON"] == ["邓群好", "王柱", "邓群好"]
