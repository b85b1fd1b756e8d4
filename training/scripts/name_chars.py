"""How often each character starts a person's name and stands in a given name, from the gold corpora.

    python scripts/name_chars.py DATA_DIR ../kg/pipeline/name_chars.json

kg_names reads the table to cut a run of names written with no mark between them (胡富国钮茂生侯捷侯宗宾…)
into names: of the ways to cut it, the likeliest under these counts (丁石孙|丁衡高|于珍, not 丁石|孙丁衡|高于珍).
Counted over the Han names of two to four characters (no dot) that MSRA's and CLUENER's training parts tag as
people; the report-only sets (MSRA test, CLUENER dev) are not read. Characters seen fewer than twice are left out.
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

from convert import LABELS, read

from kg.pipeline.components import _DOUBLE_SURNAMES as DOUBLE_SURNAMES  # the same list kg_names cuts names with


def count(data_dir: Path) -> dict:
    surname, given, length = Counter(), Counter(), Counter()
    for corpus, path in (("msra", "ner/msra/train.jsonl"), ("cluener", "ner/cluener/train.jsonl")):
        for text, spans in read(data_dir / path, LABELS[corpus]):
            for start, end, label in spans:
                name = text[start:end]
                if label != "PERSON" or not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
                    continue
                cut = 2 if name[:2] in DOUBLE_SURNAMES else 1
                if not 1 <= len(name) - cut <= 2:
                    continue  # 4 characters with one surname: mostly a transliteration, not surname + given name
                surname[name[:cut]] += 1
                given.update(name[cut:])
                length[len(name) - cut] += 1
    keep = lambda c: {k: n for k, n in sorted(c.items(), key=lambda kv: -kv[1]) if n >= 2}  # noqa: E731
    return {"surname": keep(surname), "given": keep(given), "given_length": dict(sorted(length.items()))}


def main() -> None:
    data_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    table = count(data_dir)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    os.replace(tmp, out)
    print(f"{out}: {len(table['surname'])} surnames, {len(table['given'])} given-name characters, "
          f"given-name lengths {table['given_length']}")


if __name__ == "__main__":
    main()
