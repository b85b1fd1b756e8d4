"""Turn hand-annotated passages written as markup into the JSONL of ``assets/`` (offsets by code).

    python training/scripts/markup.py passages.txt out.jsonl --prefix tr

The markup: passages separated by a line ``---``; each line of a passage is a paragraph (the
passage's text joins them with a line break); an entity is written ``[text|LABEL]`` with LABEL one
of PERSON, ORG, PLACE, PROJECT, never nested. Example::

    江门日报讯（记者 [李晓彤|PERSON]）[江海区|PLACE]区委书记[袁加伟|PERSON]主持召开座谈会。

The check fails, naming the passage and line, on an unknown label, a bracket left open, nesting,
or an entity with spaces around it; it warns where an annotated string also stands unannotated
in the same passage (often a slip, sometimes right: 区委 inside 区委书记).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import List, Tuple

LABELS = ("PERSON", "ORG", "PLACE", "PROJECT")
_ENTITY = re.compile(r"\[([^\[\]|]+)\|([A-Z]+)\]")


def parse_passage(lines: List[str], *, where: str) -> Tuple[str, list]:
    """The text and the [start, end, label] spans of one passage written in markup."""
    text, spans = [], []
    offset = 0
    for n, line in enumerate(lines):
        out, pos = [], 0
        for m in _ENTITY.finditer(line):
            plain = line[pos:m.start()]
            if "[" in plain or "]" in plain:
                raise ValueError(f"{where}, paragraph {n + 1}: stray bracket before '{m.group(0)}'")
            out.append(plain)
            entity, label = m.group(1), m.group(2)
            if label not in LABELS:
                raise ValueError(f"{where}, paragraph {n + 1}: unknown label {label} in '{m.group(0)}'")
            if entity != entity.strip() or not entity:
                raise ValueError(f"{where}, paragraph {n + 1}: spaces around '{entity}'")
            start = offset + sum(map(len, out))
            spans.append([start, start + len(entity), label])
            out.append(entity)
            pos = m.end()
        rest = line[pos:]
        if "[" in rest or "]" in rest or "|" in rest:
            raise ValueError(f"{where}, paragraph {n + 1}: stray bracket or bar in '{rest[:30]}'")
        out.append(rest)
        paragraph = "".join(out)
        text.append(paragraph)
        offset += len(paragraph) + 1
    return "\n".join(text), spans


def read_markup(path: Path, *, prefix: str) -> List[dict]:
    """Every passage of a markup file as ``{"id", "text", "spans"}``."""
    blocks, current = [], []
    for line in Path(path).read_text(encoding="utf8").splitlines():
        if line.strip() == "---":
            blocks.append(current)
            current = []
        elif line.strip():
            current.append(line.strip())
    blocks.append(current)
    rows = []
    for block in filter(None, blocks):
        rid = f"{prefix}-{len(rows) + 1:03d}"
        text, spans = parse_passage(block, where=f"{path}: {rid}")
        rows.append({"id": rid, "text": text, "spans": spans})
    return rows


def unannotated_repeats(row: dict) -> List[str]:
    """Annotated strings that also stand in the passage outside every span."""
    text, spans = row["text"], row["spans"]
    covered = [False] * len(text)
    for s, e, _ in spans:
        covered[s:e] = [True] * (e - s)
    found = []
    for entity in sorted({text[s:e] for s, e, _ in spans}):
        for m in re.finditer(re.escape(entity), text):
            if not any(covered[m.start():m.end()]):
                found.append(entity)
                break
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("markup", type=Path)
    parser.add_argument("out", type=Path, nargs="?", help="JSONL to write (omit to check only)")
    parser.add_argument("--prefix", default="tr", help="id prefix (tr-001, …)")
    args = parser.parse_args(argv)
    try:
        rows = read_markup(args.markup, prefix=args.prefix)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for row in rows:
        for entity in unannotated_repeats(row):
            print(f"warning: {row['id']}: '{entity}' also stands unannotated", file=sys.stderr)
    counts = {label: sum(s[2] == label for r in rows for s in r["spans"]) for label in LABELS}
    print(f"{len(rows)} passages, {sum(counts.values())} entities " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if args.out:
        tmp = args.out.with_suffix(args.out.suffix + ".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
        tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
