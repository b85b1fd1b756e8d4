"""Phrase patterns for kg's gazetteer (an EntityRuler after the NER): places and government offices.

    python scripts/gazetteer.py DATA_DIR corpus/gazetteer.jsonl

- PLACE: provinces, cities, districts, towns, villages and communities, roads and development zones
  from the address-parsing corpus, when written with their administrative ending (浙江省, 滨江区,
  龙山镇, 花塘村, 滨康路); bare stems (安吉, 慈东) are left to the model. The address corpus covers
  few provinces, so every province, city, district and county of China is added from the
  administrative-division table in the ``cpca`` package (MIT; pip install cpca, a training-time
  source only): 江海区, 呈贡区. Two-character ones (和县, 城区) are left out: too often
  part of other words. cpca's table predates the counties and county-level cities made districts
  since (郫县 -> 郫都区, 龙海市 -> 龙海区), so each county-level 县 or 市 is also written with 区
  (龙海区), and the renames that changed the stem and the national new areas are listed.
- ORG: the short forms local news uses for district and city offices (区经促局, 市住建局,
  区委组织部), which no corpus labels in their modern form.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

PLACE_LEVELS = {"prov", "city", "district", "town", "community", "road", "subroad", "devzone"}
PLACE_ENDINGS = ("省", "市", "区", "县", "镇", "乡", "街道", "村", "社区", "路", "大道", "大街", "开发区", "新区", "工业区")
GENERIC = {"经济开发区", "经济技术开发区", "高新区", "开发区", "工业区", "新区", "高新园区", "工业园区"}

LEVELS = ("区", "市", "县", "镇", "省")
BUREAUS = (
    "发改局", "经促局", "经信局", "工信局", "科技局", "教育局", "公安局", "民政局", "司法局", "财政局", "人社局",
    "自然资源局", "生态环境局", "住建局", "交通运输局", "交通局", "水利局", "农业农村局", "农业局", "商务局",
    "文广旅体局", "文旅局", "文广新局", "卫健局", "卫生健康局", "应急管理局", "应急局", "审计局", "国资局",
    "市场监管局", "统计局", "医保局", "城管局", "城管执法局", "税务局", "信访局", "退役军人事务局", "林业局",
    "数据局", "政数局", "投促局", "招商局", "体育局", "气象局", "档案局", "残联", "妇联", "总工会", "团委",
    "科协", "工商联", "红十字会", "法院", "人民法院", "发改委", "检察院", "人民检察院", "人大常委会", "政协", "政府",
    "纪委", "监委", "纪委监委", "委办", "府办", "政府办", "融媒体中心", "行政服务中心", "政务服务中心",
)
PARTY = ("组织部", "宣传部", "统战部", "政法委", "办公室", "编办", "网信办", "政研室", "老干部局", "巡察办", "社工部")


def places(data_dir: Path):
    names = set()
    for part in ("train", "dev", "test"):
        path = data_dir / "ner" / "address" / f"{part}.jsonl"
        if not path.exists():
            sys.exit(f"{path}: missing; set data_dir to the shared data folder")
        with path.open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                for s, e, label in rec["spans"]:
                    name = rec["text"][s:e].strip()
                    if (label.lower() in PLACE_LEVELS and len(name) >= 3 and name.endswith(PLACE_ENDINGS)
                            and name not in GENERIC and not any(ch.isdigit() for ch in name)):
                        names.add(name)
    return sorted(names)


def divisions() -> list:
    """Provinces, cities, districts and counties of China (3,500 names) from cpca's adcodes table."""
    import csv
    import importlib.util

    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("the cpca package is missing: pip install cpca (training only)")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as f:
        names = {row["name"].strip() for row in csv.DictReader(f)}
        f.seek(0)
        county_level = {row["name"].strip() for row in csv.DictReader(f)
                        if row["adcode"][4:6] != "00" and row["name"].strip().endswith(("县", "市"))}
    # a county or county-level city made a district keeps its stem: 龙海市 -> 龙海区, 富阳市 -> 富阳区
    names |= {n[:-1] + "区" for n in county_level if len(n) >= 3 and "自治" not in n}
    names |= set(RENAMED)
    return sorted(n for n in names if len(n) >= 3 and n.endswith(("省", "市", "区", "县", "旗", "州", "盟"))
                  and n not in GENERIC)


# Districts whose new name is not the old stem + 区, and the national new areas (国家级新区)
RENAMED = ("郫都区", "滨海新区", "浦东新区", "两江新区", "舟山群岛新区", "兰州新区", "南沙新区", "西咸新区", "贵安新区",
           "西海岸新区", "金普新区", "天府新区", "湘江新区", "江北新区", "福州新区", "滇中新区", "哈尔滨新区",
           "长春新区", "赣江新区", "雄安新区")


def countries() -> list:
    """The countries and territories of the world by their Chinese names, from the ISO 3166-1 table and its
    zh_CN translation in the ``pycountry`` package (LGPL; a training-time source only, like cpca): 马拉维,
    俄罗斯, 马来西亚. Names of one or two characters (日本, 法国) are left to the model: inside other words
    (今日本市, 合法国家) a pattern would find them where no country is."""
    import gettext

    try:
        import pycountry
    except ImportError:
        sys.exit("the pycountry package is missing: pip install pycountry (training only)")
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    names = {zh.gettext(c.name) for c in pycountry.countries} | {zh.gettext(getattr(c, "common_name", c.name))
                                                                  for c in pycountry.countries}
    return sorted(n for n in names if len(n) >= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in n))


def offices():
    names = {level + b for level in LEVELS for b in BUREAUS}
    names |= {level + "委" + p for level in LEVELS for p in PARTY}
    return sorted(names)


def main(data_dir: str, out: str) -> None:
    rows = [{"label": "PLACE", "pattern": n}
            for n in sorted(set(places(Path(data_dir))) | set(divisions()) | set(countries()))]
    rows += [{"label": "ORG", "pattern": n} for n in offices()]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{out}: {sum(r['label'] == 'PLACE' for r in rows)} places, {sum(r['label'] == 'ORG' for r in rows)} offices")


if __name__ == "__main__":
    main(*sys.argv[1:3])
