"""Copies of training sentences with their people renamed, so the model meets the names of all of China's news.

    python scripts/augment_names.py corpus/train.spacy corpus/names.spacy [--n 15000] [--seed 1]

MSRA (1998) and CLUENER name mostly Han people with common surnames; local news also names Uyghur
people with a middle dot (阿依古丽·买买提), Mongolian, Tibetan, Yi and Dai people, people with rare or
double surnames, and foreign experts. The model missed such names wherever no rule helped (萨仁|其其格,
卓玛 of 降央卓玛). This writes ``--n`` sentences that hold a PERSON, each PERSON replaced by a name made
from the parts below (common name parts, no person of the hand-annotated sets), to train on beside the
gold corpora. Training data only: nothing here runs inside kg.
"""
from __future__ import annotations

import argparse
import random

import spacy
from spacy.tokens import Doc, DocBin

RARE_SURNAMES = "逯郇撒冒谌宓於战玄仉亓厍禚晁訾蹇缑闾檀佴郗覃淳帅粟巢暴谯眭"
DOUBLE_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "端木", "令狐", "皇甫", "慕容", "司徒", "夏侯", "呼延", "宇文"]
COMMON_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红建国文辉宇浩鹏飞鑫波斌宁婷雪琳晨欣怡佳俊峰"

UYGHUR_FIRST = ["买买提", "艾力", "阿不都", "吐尔逊", "热合曼", "艾买提", "努尔", "帕尔哈提", "阿卜杜拉", "艾合买提",
                "迪丽努尔", "古丽", "阿依努尔", "热依拉", "帕提曼", "再努尔", "米娜", "祖丽菲亚", "玛依拉", "依力哈尔",
                "吾斯曼", "库尔班", "肉孜", "赛买提", "阿迪力", "麦麦提", "艾合麦提", "布合力其", "如克亚", "努尔古丽"]
UYGHUR_SECOND = ["买买提", "吐尔逊", "艾力", "依明", "阿不拉", "托乎提", "斯拉木", "吾甫尔", "卡德尔", "阿吾提", "热依木",
                 "哈力克", "沙塔尔", "尼亚孜", "玉素甫", "艾则孜", "阿西木", "克里木", "吐拉克", "巴拉提"]
KAZAKH = ["叶尔兰", "努尔兰", "别克", "哈力", "江", "胡安", "加娜尔", "阿依达娜", "巴合提", "塔斯"]
TIBETAN = ["扎西", "次仁", "卓玛", "格桑", "旺堆", "达瓦", "尼玛", "多吉", "平措", "顿珠", "央金", "拉姆", "德吉", "曲珍",
           "才让", "才旦", "旦增", "丹增", "索朗", "罗布", "普布", "边巴", "巴桑", "拉巴", "次旦", "洛桑", "贡保", "卓嘎",
           "白玛", "仁青", "强巴", "益西", "米玛", "嘉措", "东珠", "德庆", "央宗", "泽仁", "四郎", "降措", "尕藏", "拉毛"]
MONGOLIAN = ["巴特尔", "其其格", "乌兰", "萨仁", "高娃", "图雅", "格日勒", "苏和", "宝音", "那仁", "额尔敦", "巴雅尔",
             "朝鲁", "孟和", "斯琴", "乌日娜", "敖登", "阿拉坦", "满都拉", "哈斯", "毕力格", "其木格", "德力格尔", "呼和",
             "巴图", "乌力吉", "那顺", "布和", "特木尔", "娜仁", "吉日嘎拉", "达来", "阿古拉", "乌云", "图门"]
YI_CLAN = ["吉克", "沙马", "阿苦", "曲比", "吉伍", "阿的", "俄木", "马海", "海来", "阿说", "勒尔", "尔古", "吉木", "吉则"]
YI_GIVEN = ["阿呷", "伍呷", "石日", "阿依", "拉且", "木呷", "伍各", "阿各", "尔古", "日哈", "拉哈", "阿支", "伍沙", "依作"]
DAI = ["岩", "玉"]
DAI_GIVEN = ["温", "甩", "香", "罕", "波", "叫", "应", "光", "旺", "丙", "坎", "南", "喃", "罕香", "温香", "波罕", "光明"]
FOREIGN_FIRST = ["托马斯", "约翰", "迈克尔", "安娜", "玛丽亚", "汉斯", "克劳斯", "彼得", "伊万", "谢尔盖", "让", "皮埃尔",
                 "卡洛斯", "马克", "大卫", "斯蒂芬", "艾米丽", "索菲亚", "亚历山大", "弗兰克", "埃里克", "阿里"]
FOREIGN_LAST = ["穆勒", "史密斯", "施密特", "彼得罗夫", "伊万诺夫", "杜邦", "马丁", "罗西", "加西亚", "韦伯", "科恩",
                "霍夫曼", "贝克", "费舍尔", "施耐德", "沃尔夫", "诺瓦克", "安德森", "约翰逊", "布朗", "汗", "侯赛因"]


WEIGHTS = [12, 6, 3, 16, 3, 3, 14, 14, 9, 6, 14]


def make_name(rng: random.Random) -> str:
    kinds = ["rare", "double", "two_surnames", "uyghur", "uyghur_nodot", "kazakh", "tibetan", "mongolian", "yi", "dai",
             "foreign"]
    kind = rng.choices(kinds, weights=WEIGHTS)[0]
    given = lambda k: "".join(rng.choice(GIVEN) for _ in range(k))  # noqa: E731
    if kind == "rare":
        return rng.choice(RARE_SURNAMES) + given(rng.choice([1, 2, 2]))
    if kind == "double":
        return rng.choice(DOUBLE_SURNAMES) + given(rng.choice([1, 2]))
    if kind == "two_surnames":
        return rng.choice(COMMON_SURNAMES) + rng.choice(COMMON_SURNAMES) + given(2)
    if kind == "uyghur":
        parts = [rng.choice(UYGHUR_FIRST), rng.choice(UYGHUR_SECOND)]
        if rng.random() < 0.15:
            parts.append(rng.choice(UYGHUR_SECOND))
        return "·".join(parts)
    if kind == "uyghur_nodot":
        return rng.choice(UYGHUR_FIRST) + rng.choice(["江", "古丽", "尔", ""])
    if kind == "kazakh":
        return rng.choice(KAZAKH) + rng.choice(["别克", "江", "汗", "拜"])
    if kind == "tibetan":
        return "".join(rng.sample(TIBETAN, rng.choice([1, 2, 2, 2])))
    if kind == "mongolian":
        name = "".join(rng.sample(MONGOLIAN, rng.choice([1, 2])))
        return name if len(name) <= 6 else name[:5]
    if kind == "yi":
        return rng.choice(YI_CLAN) + rng.choice(YI_GIVEN)
    if kind == "dai":
        return rng.choice(DAI) + rng.choice(DAI_GIVEN)
    return rng.choice(FOREIGN_FIRST) + "·" + rng.choice(FOREIGN_LAST)


def renamed(nlp, doc: Doc, rng: random.Random) -> Doc:
    """``doc`` with every PERSON replaced by a made-up name, other entities kept where they were."""
    text, ents, at = "", [], 0
    for ent in doc.ents:
        text += doc.text[at:ent.start_char]
        name = make_name(rng) if ent.label_ == "PERSON" else ent.text
        ents.append((len(text), len(text) + len(name), ent.label_))
        text += name
        at = ent.end_char
    text += doc.text[at:]
    new = nlp.make_doc(text)
    new.ents = [new.char_span(s, e, label=label) for s, e, label in ents]
    return new


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=15000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-foreign", action="store_true", help="no transliterated foreign names (they read like places)")
    args = ap.parse_args()
    if args.no_foreign:
        WEIGHTS[-1] = 0
    nlp = spacy.blank("zh")
    rng = random.Random(args.seed)
    with_people = [d for d in DocBin().from_disk(args.source).get_docs(nlp.vocab)
                   if any(e.label_ == "PERSON" for e in d.ents)]
    rng.shuffle(with_people)
    docs = [renamed(nlp, d, rng) for d in with_people[:args.n]]
    DocBin(docs=docs).to_disk(args.out)
    print(f"{args.out}: {len(docs)} sentences, {sum(e.label_ == 'PERSON' for d in docs for e in d.ents)} people renamed")


if __name__ == "__main__":
    main()
