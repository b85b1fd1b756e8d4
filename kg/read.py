"""Stage 1 of kg: read news sources (.txt pages, JSON lines, CSV) into :class:`Article` records.

A ``.txt`` may be a whole newspaper page. It is cut into articles at each headline, a short line
followed by a dateline or byline (``江门日报讯(记者/李雨溪)…``, ``□文/图 江门日报记者 林梅``,
``新华社北京1月4日电``). Line breaks the page layout put inside sentences are joined, photo
captions that interrupt a sentence are moved after it, and reporters named in the byline are
recorded as :class:`Byline` while the printed text stays as it was.

>>> from kg.read import read_articles
>>> for article in read_articles("seeds/"):
...     print(article.source, article.title, article.bylines[:1])   # doctest: +SKIP
seeds/000_5d8147767e1fc6e6.txt#1 江海区委召开疫情防控座谈会 平稳有序落实新冠病毒感染“乙类乙管” (Byline(name='李雨溪', role='记者'),)
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Tuple, Union

__all__ = ["Article", "Byline", "ReadError", "find_bylines", "read_articles"]

SUFFIXES = (".txt", ".jsonl", ".json", ".csv")  # what a folder is searched for
TITLE_MAX = 50  # a headline is shorter; the seed page's longest is 39 characters


@dataclass(frozen=True)
class Byline:
    """A person credited in an article's byline, e.g. ``Byline("李雨溪", "记者")``.

    ``role`` is one of 记者, 通讯员, 实习生, 摄影, 编辑.
    """

    name: str
    role: str


@dataclass(frozen=True)
class Article:
    """One news article, as read from its source.

    ``id`` is the source's own id, else ``<file stem>-<position>-<hash of title and text>``, the
    same on every run. ``source`` says where it came from: ``page.txt#3`` (third article of the
    page), ``news.jsonl:12`` (line 12), ``news.csv:5`` (row 5, the header being row 1),
    ``dump.json#3`` (third item of a JSON array), or the record's own ``source`` field.
    ``paragraphs`` are printed text with layout breaks mended, dateline and byline lines
    included (the names in ``bylines`` can be found in the text); ``date`` is
    ``yyyy-mm-dd`` when the source gives one.

    >>> a = Article(id="a1", title="标题", paragraphs=("第一段。", "第二段。"))
    >>> a.text
    '第一段。\\n第二段。'
    """

    id: str
    title: str
    paragraphs: Tuple[str, ...]
    date: Optional[str] = None
    url: Optional[str] = None
    source: str = ""
    bylines: Tuple[Byline, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


class ReadError(ValueError):
    """A source cannot be read; the message is one line and names the file (and line or field)."""


def read_articles(
    sources: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]],
    *,
    on_warning: Optional[Callable[[str], None]] = None,
) -> Iterator[Article]:
    """Read articles from files and folders, in order.

    ``sources`` is a path or an iterable of paths: ``.txt`` files (a newspaper page is split into
    its articles), ``.jsonl``/``.json`` (one object per line, or a JSON array; ``text`` required,
    ``id``, ``title``, ``date``, ``url``, ``source`` optional), ``.csv`` (same columns), and
    folders, searched recursively in sorted order for those suffixes. Text may be UTF-8 (with or
    without BOM), UTF-16 with BOM, or GB18030/GBK.

    Empty, binary and undecodable files are skipped with a message to ``on_warning`` (default:
    :func:`warnings.warn`). :class:`ReadError` is raised for a missing path (at once), for a broken
    JSON line, a record without ``text``, a CSV without a ``text`` column, and, at the end, when
    not a single article came out.

    >>> articles = list(read_articles(["seeds/", "more/news.jsonl"]))   # doctest: +SKIP
    >>> articles[1].source                                               # doctest: +SKIP
    'seeds/000_5d8147767e1fc6e6.txt#2'
    """
    warn = on_warning or (lambda message: warnings.warn(message, stacklevel=3))
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    sources = list(sources)
    if not sources:
        raise ReadError("kg: no sources given")
    # Expanding now, not on first next(), so a mistyped path fails where it was passed.
    return _read(_expand(sources), sources, warn)


def _read(files: List[Path], sources: list, warn: Callable[[str], None]) -> Iterator[Article]:
    seen = set()
    for path in files:
        text = _decode(path, warn)
        if text is None:
            continue
        suffix = path.suffix.lower()
        reader = _read_jsonl if suffix in (".jsonl", ".json") else _read_csv if suffix == ".csv" else _read_page
        for article in reader(path, text, warn):
            if article.id in seen:
                # Downstream keys graphs and evidence by id: a clash would merge two articles.
                new = next(f"{article.id}~{k}" for k in range(2, 10**6) if f"{article.id}~{k}" not in seen)
                warn(f"kg: {article.source}: duplicate id {article.id!r}, renamed {new!r}")
                article = dataclasses.replace(article, id=new)
            seen.add(article.id)
            yield article
    if not seen:
        raise ReadError("no readable article in: " + ", ".join(str(s) for s in sources))


def _expand(sources: list) -> List[Path]:
    files, seen = [], set()
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*")
                if f.suffix.lower() in SUFFIXES and f.is_file()
                # .git, .ipynb_checkpoints and editor backups are not news
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        elif path.is_file():
            found = [path]  # named explicitly: read whatever the suffix, as text unless .jsonl/.json/.csv
        else:
            raise ReadError(f"kg: no such file or folder: {source}")
        for f in found:
            if f.resolve() not in seen:  # a file named twice, or also inside a named folder
                seen.add(f.resolve())
                files.append(f)
    return files


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode(path: Path, warn: Callable[[str], None]) -> Optional[str]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(f"kg: cannot read {path.as_posix()}: {e.strerror}") from None
    text = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Windows Notepad's "Unicode"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                pass
    if text is not None and not text.strip(" \t\r\n\f\v\u3000\ufeff"):
        warn(f"kg: skipped empty file: {path.as_posix()}")
        return None
    # GB18030 decodes most byte soup without error; what gives binary away is control characters.
    if text is None or len(_CONTROL.findall(text)) > len(text) / 50:
        warn(f"kg: skipped {path.as_posix()}: binary, or not UTF-8/GB18030 text")
        return None
    return text.replace("\ufeff", "")


# --------------------------------------------------------------------------------------------
# Readers: each yields Articles for one decoded file.


def _read_page(path: Path, text: str, warn) -> Iterator[Article]:
    name = path.as_posix()
    for k, (title, lines) in enumerate(_split_page(_lines(text), path.stem), start=1):
        paragraphs, bylines = _body(lines)
        if not paragraphs:
            warn(f"kg: {name}#{k}: article {title!r} has no text, skipped")
            continue
        yield Article(_derived_id(path.stem, k, title, paragraphs), title, paragraphs,
                      source=f"{name}#{k}", bylines=bylines)


def _read_jsonl(path: Path, text: str, warn) -> Iterator[Article]:
    name = path.as_posix()
    if path.suffix.lower() == ".json":
        try:  # a .json may be one document (an array of records, or one record) ...
            whole = json.loads(text)
        except json.JSONDecodeError:
            pass  # ... or JSON lines under another name
        else:
            records = whole if isinstance(whole, list) else [whole]
            for k, record in enumerate(records, start=1):
                article = _record(record, f"{name}#{k}", path.stem, k, warn)
                if article:
                    yield article
            return
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): JSON may hold a raw U+2028
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ReadError(f"{name}:{number}: not valid JSON: {e.msg} (column {e.colno})") from None
        article = _record(record, f"{name}:{number}", path.stem, number, warn)
        if article:
            yield article


def _read_csv(path: Path, text: str, warn) -> Iterator[Article]:
    name = path.as_posix()
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(rows, [])]
        columns = [column.lower() for column in header]
        if "text" not in columns:
            raise ReadError(f"{name}: CSV has no 'text' column (columns: {', '.join(header) or 'none'})")
        # Rows are numbered as a spreadsheet shows them: the header is row 1.
        for number, row in enumerate(rows, start=2):
            if any(cell.strip() for cell in row):
                record = {c: cell for c, cell in zip(columns, row) if cell.strip() or c == "text"}
                article = _record(record, f"{name}:{number}", path.stem, number, warn)
                if article:
                    yield article
    except csv.Error as e:
        raise ReadError(f"{name}:{rows.line_num}: not valid CSV: {e}") from None


def _record(record, where: str, stem: str, position: int, warn) -> Optional[Article]:
    if not isinstance(record, dict):
        raise ReadError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise ReadError(f"{where}: no 'text' field")
    if not isinstance(text, str):
        raise ReadError(f"{where}: 'text' is a {type(text).__name__}, not a string")
    lines = _lines(text)
    title = _squeeze(str(record.get("title") or ""))
    if title and lines and _squeeze(lines[0]) == title:
        lines = lines[1:]  # scraped text often repeats the title
    elif not title and len(lines) > 1 and _is_heading(lines[0], strict=True):
        title, lines = _squeeze(lines[0]), lines[1:]
    paragraphs, bylines = _body(lines)
    if not paragraphs:
        warn(f"kg: {where}: empty 'text', skipped")
        return None
    given_id = str(record.get("id") or "").strip()
    return Article(
        id=given_id or _derived_id(stem, position, title, paragraphs),
        title=title,
        paragraphs=paragraphs,
        date=_iso_date(record.get("date"), where, warn),
        url=str(record["url"]).strip() if record.get("url") else None,
        source=str(record.get("source") or where),
        bylines=bylines,
    )


def _derived_id(stem: str, position: int, title: str, paragraphs: Tuple[str, ...]) -> str:
    # The file's stem, not its path: the same corpus read from another folder keeps its ids.
    digest = hashlib.sha1("\n".join((title, *paragraphs)).encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{position}-{digest}"


def _iso_date(value, where: str, warn) -> Optional[str]:
    if value is None or not str(value).strip():
        return None
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", str(value))
    try:
        return datetime.date(*map(int, m.groups())).isoformat()
    except (AttributeError, ValueError):  # no match, or no such day
        warn(f"kg: {where}: date {value!r} not understood, left empty")
        return None


# --------------------------------------------------------------------------------------------
# Page layout: headlines, bylines, captions and the line breaks inside sentences.

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FINAL = "。！？!?….;；:："  # a paragraph may end after these
_CLOSERS = "”’」』）)】》〉"
_OPENERS = "“‘「『（(【《〈"
_CLAUSE = re.compile("[,，;；。！？!?]")  # prose has these; a headline or subheading rarely does
_HAN_GAP = re.compile(f"(?<=[{_HAN}])[ \t\u3000\u00a0]+(?=[{_HAN}])")
_ON_DATE = f"[{_HAN}]{{0,8}}\\d{{1,2}}月\\d{{1,2}}日"
# 江门日报讯 本报讯 本报北京1月4日讯 新华社北京1月4日电 新华社电, then maybe (记者/李雨溪 通讯员/朱苗欣);
# an undated 电 must not run on into Han text, or 市电视台电话… would be a dateline.
_DATELINE = re.compile(
    f"^(?:[{_HAN}]{{0,10}}[报刊网](?:{_ON_DATE})?讯|[{_HAN}]{{1,10}}[社网台](?:{_ON_DATE}电|电(?![{_HAN}])))"
    r"\s*(?:[(（](?P<by>[^()（）]{1,80})[)）])?"
)
# □文/图 江门日报记者 李雨溪 | 本报记者 张三 | 通讯员 梁文聪 (a line of its own)
_BYLINE_LINE = re.compile(
    f"^[□■◆●▲]|^(?:[{_HAN}]{{0,8}}[报社台网])?"
    r"(?:文[/／]图|图[/／]文|文|图|记者|通讯员|特约记者|见习记者|实习生|摄影|摄影记者)\s*[/／:：\s]"
)
# A credit in brackets anywhere in a line, after a caption or at the start of a story without a dateline:
# （西藏日报记者 央金 边巴次仁）, （衡阳日报记者 刘肖 摄）; the role word must be followed by a mark or a space,
# so prose in brackets (（记者从区住建局获悉）) is no credit.
_CREDIT = re.compile(
    f"[(（](?P<by>(?:[{_HAN}]{{0,8}}[报社台网])?(?:文[/／]图|图[/／]文|文|图|记者|通讯员|特约记者|见习记者|实习生"
    r"|摄影|摄影记者)[/／:：\s][^()（）\n]{1,60})[)）]"
)
_ROLES = re.compile("(摄影记者|特约记者|见习记者|首席记者|记者|通讯员|实习生|责任编辑|编辑|摄影|文[/／]图|图[/／]文)")
_ROLE_OF = {"摄影记者": "摄影", "摄影": "摄影", "通讯员": "通讯员", "实习生": "实习生", "责任编辑": "编辑", "编辑": "编辑"}
_NAME = re.compile(f"[{_HAN}]{{2,6}}|[{_HAN}]{{1,6}}·[{_HAN}]{{1,8}}")  # 叶尔江加纳提, 乌兰其其格
_NOT_NAMES = {"报道", "整理", "综合", "发自", "编译", "采写", "供图"}
_CAPTION = re.compile(f"(?:^|[。！？!?])图为|供图[)）]?$|[\\s/][{_HAN}·]{{2,6}}\\s*摄[)）]?$")


def _lines(text: str) -> List[str]:
    return [s for s in (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) if s]


def _squeeze(s: str) -> str:
    return " ".join(s.split())


def _is_closed(s: str) -> bool:
    """True if a paragraph may end after ``s``: final punctuation, maybe inside closing quotes,
    or a line wholly in brackets like ``(下转A2版)``. ``对照各村(社区)`` is not closed."""
    body = s.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _FINAL or (body != s and s[0] in _OPENERS)


def _is_caption(s: str) -> bool:
    return bool(_CAPTION.search(s))


def _is_heading(s: str, *, strict: bool) -> bool:
    """A headline or subheading: short and not ending a sentence. ``strict`` (when no byline
    follows to confirm it) also wants no comma inside, which tells a subheading like
    ``实干为先 全力营造优质营商环境`` from a sentence cut by the layout."""
    return (len(s) <= TITLE_MAX and not _is_closed(s) and not _is_caption(s)
            and not (strict and _CLAUSE.search(s)) and not _DATELINE.match(s))


def _byline_names(s: str) -> Tuple[Byline, ...]:
    """Bylines in ``记者/李雨溪 通讯员/朱苗欣`` or ``□文/图 江门日报记者 何榕 陈婵``.

    A run of names without spaces (``记者张三李四``) cannot be split without a model; it stays one.
    """
    found, role = [], None
    for piece in _ROLES.split(re.sub("[□■◆●▲()（）:：,，、]", " ", s)):
        if _ROLES.fullmatch(piece):
            role = _ROLE_OF.get(piece, "记者")  # 文/图 (text and photos) and 特约记者 are reporters
            continue
        for token in re.split(r"[\s/／]+", piece):
            if token == "文":
                role = "记者"
            elif token in ("图", "摄"):
                role = "摄影"
            elif (role and _NAME.fullmatch(token) and token not in _NOT_NAMES
                  and token[-1] not in "报社台网站刊部局办"):  # 江门日报, 九三学社 are not people
                found.append(Byline(token, role))
    return tuple(dict.fromkeys(found))


def find_bylines(text: str) -> List[Tuple[int, int, str]]:
    """Where the people credited in ``text``'s bylines are, as (start, end, role): in a
    dateline's brackets (江门日报讯（记者/李雨溪 通讯员/朱苗欣）), in a line of their own
    (□江门日报记者 何榕 陈婵) or in brackets of their own (（衡阳日报记者 刘肖 摄）).

    >>> t = "喀什日报讯（记者 艾尔肯·吐尔逊）近日，…"
    >>> [(t[s:e], role) for s, e, role in find_bylines(t)]
    [('艾尔肯·吐尔逊', '记者')]
    """
    found, at = [], 0
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip())
        m = _DATELINE.match(line, lead)
        if m and m.group("by"):
            region = (m.start("by"), m.end("by"))
        elif _is_byline_line(line.strip()):
            region = (lead, len(line.rstrip()))
        else:
            region = None
        regions = [region] if region else []
        regions += [m.span("by") for m in _CREDIT.finditer(line)
                    if not region or m.end() <= region[0] or m.start() >= region[1]]
        for start, end in regions:
            cursor = start
            for b in _byline_names(line[start:end]):
                k = line.find(b.name, cursor, end)
                if k >= 0:
                    found.append((at + k, at + k + len(b.name), b.role))
                    cursor = k + len(b.name)
        at += len(line) + 1
    return found


def _is_byline_line(s: str) -> bool:
    return bool(_BYLINE_LINE.match(s)) and not _CLAUSE.search(s) and len(s) <= 60 and bool(_byline_names(s))


def _is_lead(s: str) -> bool:
    """The line after a headline: a dateline or a byline."""
    return bool(_DATELINE.match(s)) or _is_byline_line(s)


def _split_page(lines: List[str], stem: str) -> List[Tuple[str, List[str]]]:
    """Cut a page into (title, body lines). Without headlines, the whole text is one article."""
    starts = []  # (first title line, first body line)
    for i in range(len(lines) - 1):
        if _is_heading(lines[i], strict=False) and not _is_lead(lines[i]) and _is_lead(lines[i + 1]):
            first = i
            # A kicker above (引题): heading lines right after the previous article's last
            # sentence. At the top of a page such lines are taken for page furniture instead.
            while (first > i - 2 and first - 2 >= (starts[-1][1] if starts else 0)
                   and _is_heading(lines[first - 1], strict=True) and _is_closed(lines[first - 2])):
                first -= 1
            starts.append((first, i + 1))
    if not starts:
        return [_untitled(lines, stem)] if lines else []
    above = lines[:starts[0][0]]
    # Above the first headline: page furniture (江海新闻 A05版) is dropped, prose (上接1版…) kept.
    pieces = [] if all(_is_heading(s, strict=True) for s in above) else [_untitled(above, stem)]
    for (first, body), nxt in zip(starts, starts[1:] + [(len(lines), 0)]):
        pieces.append((" ".join(_squeeze(t) for t in lines[first:body]), lines[body:nxt[0]]))
    return pieces


def _untitled(lines: List[str], stem: str) -> Tuple[str, List[str]]:
    if len(lines) > 1 and _is_heading(lines[0], strict=True) and not _is_lead(lines[0]):
        return _squeeze(lines[0]), lines[1:]
    return stem, lines


def _body(lines: List[str]) -> Tuple[Tuple[str, ...], Tuple[Byline, ...]]:
    """Paragraphs and bylines of an article's lines (headline already removed)."""
    bylines: Tuple[Byline, ...] = ()
    paragraphs = []
    while lines and _is_byline_line(lines[0]):
        # Kept as printed, one paragraph a line: downstream finds the bylined names in the text,
        # and gluing ``…何榕 陈婵`` to ``通讯员 梁文聪`` would make a name of 陈婵通讯员.
        bylines += _byline_names(lines[0])
        paragraphs.append(_squeeze(lines[0]))
        lines = lines[1:]
    dateline = _DATELINE.match(lines[0]) if lines else None
    if dateline and dateline.group("by"):
        bylines += _byline_names(dateline.group("by"))
    for i, (paragraph, heading) in enumerate(_join(lines)):
        # In prose a space between Han characters is the layout's; in a heading it separates
        # parts, and in the dateline it separates names (记者/李雨溪 通讯员/朱苗欣), so both stay.
        keep = dateline.end() if dateline and i == 0 else 0
        if heading:
            paragraphs.append(_squeeze(paragraph))
            continue
        prose = paragraph[keep:]
        credits = list(_CREDIT.finditer(prose))
        paragraphs.append(paragraph[:keep] + _squeeze_prose(prose, credits))
        bylines += tuple(b for m in credits for b in _byline_names(m.group("by")))
    return tuple(paragraphs), tuple(dict.fromkeys(bylines))


def _squeeze_prose(s: str, credits: List[re.Match]) -> str:
    """Drop the layout's spaces between Han characters, except inside the credits in brackets found in
    ``s``, where they separate names: （西藏日报记者 央金 边巴次仁）."""
    out, at = [], 0
    for m in credits:
        out += [_HAN_GAP.sub("", s[at:m.start()]), m.group()]
        at = m.end()
    return "".join(out) + _HAN_GAP.sub("", s[at:])


def _join(lines: List[str]) -> list:
    """Glue lines the layout broke inside a sentence; returns [(paragraph, is_heading)].

    A line that does not end a sentence continues on the next line, across blank lines and
    across a photo caption printed in between (the caption follows the mended paragraph).
    """
    out, held, closed = [], [], True
    for line in lines:
        if not closed and _is_caption(line):
            held.append((line, False))
            continue
        if closed:
            out.append((line, _is_heading(line, strict=True)))
        else:
            text = out[-1][0]
            space = " " if text[-1].isascii() and text[-1].isalpha() and line[0].isascii() and line[0].isalpha() else ""
            out[-1] = (text + space + line, False)
        closed = out[-1][1] or _is_closed(out[-1][0]) or _is_caption(out[-1][0])
        if closed and held:
            out, held = out + held, []
    return out + held
