"""The build store: articles with their sentences and mentions in SQLite, so no text is extracted twice.

An extraction is keyed by the text it was made from (an article's paragraphs and bylines) and by
the *pipeline version* that made it: a hash of the model's files (meta.json, config.cfg, weights),
the patterns file, kg's extraction code, spaCy's version and :data:`EXTRACTION_VERSION`.
Rebuilding an unchanged corpus runs no NER, a grown corpus extracts only its new articles, and a
new model, patterns file or extraction code re-extracts under the new version. Batches are
committed one by one in WAL mode, so a build that is killed keeps what it committed and the next
one goes on from there.

>>> store = Store("output/kg.sqlite")
>>> rows = store.add_articles(read_articles("news/"))      # the corpus, in read order
>>> version = pipeline_version()
>>> todo = store.missing(rows, version)                    # rows whose text has no extraction yet
>>> store.save(version, [encode(from_doc(doc, a)) for doc, a in ...])   # one batch, one commit
>>> graph = build_graph(StoredExtractions(store, rows, version))        # streamed, article by article
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .extract import Extraction, Mention
from .read import Article, Byline

# Part of every pipeline version, beside the hash of kg/extract.py and kg/pipeline/*.py: bump it when
# the same code and model would extract differently (say, a change in how the store encodes).
EXTRACTION_VERSION = "1"
SCHEMA_VERSION = 1
_CHUNK = 500  # articles per query when reading back

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (          -- every article ever read, as read
    rowid INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,                  -- sha1 of the whole article
    text_hash TEXT NOT NULL,                    -- sha1 of what extraction reads: paragraphs, bylines
    id TEXT NOT NULL, title TEXT NOT NULL, date TEXT, url TEXT, source TEXT NOT NULL,
    paragraphs TEXT NOT NULL,                   -- JSON list of strings
    bylines TEXT NOT NULL                       -- JSON list of [name, role]
);
CREATE INDEX IF NOT EXISTS articles_text ON articles (text_hash);
CREATE TABLE IF NOT EXISTS docs (              -- one extraction of one text by one pipeline version
    id INTEGER PRIMARY KEY,
    text_hash TEXT NOT NULL,
    version TEXT NOT NULL,
    sentences TEXT NOT NULL,                    -- JSON list of [paragraph, start, end] in the text
    extracted_at REAL NOT NULL,
    UNIQUE (text_hash, version)
);
CREATE TABLE IF NOT EXISTS mentions (
    doc INTEGER NOT NULL REFERENCES docs (id),
    n INTEGER NOT NULL,                         -- order in the article
    paragraph INTEGER NOT NULL, sentence INTEGER NOT NULL,
    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
    text TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, role TEXT, byline INTEGER NOT NULL,
    PRIMARY KEY (doc, n)
) WITHOUT ROWID;
"""

Encoded = Tuple[str, str, List[tuple]]  # (text_hash, sentences JSON, mention rows): a picklable extraction


class StoreError(ValueError):
    """The store file cannot be used; the message is one line and names the file."""


def _sha1(value) -> str:
    return hashlib.sha1(json.dumps(value, ensure_ascii=False).encode("utf-8")).hexdigest()


def text_hash(article: Article) -> str:
    return _sha1([article.paragraphs, [[b.name, b.role] for b in article.bylines]])


def pipeline_version(model=None, patterns=None) -> str:
    """The version key of what :func:`kg.load_pipeline` ``(model, patterns=patterns)`` extracts: a hash
    of every file in the model's folder (meta.json, config.cfg, weights, gazetteers), the patterns
    file, kg's extraction code, spaCy's version and :data:`EXTRACTION_VERSION`. Read from files; no
    model is loaded."""
    import spacy

    h = hashlib.sha1(f"kg-extraction {EXTRACTION_VERSION} spacy {spacy.__version__}\n".encode())
    if model is None:
        from .pipeline import MODEL_DIR

        folder = MODEL_DIR
    else:
        h.update(str(model).encode("utf-8") + b"\0")
        folder = Path(model) if Path(model).exists() else _package_path(str(model))
    kg_dir = Path(__file__).parent
    code = [kg_dir / "extract.py", *sorted((kg_dir / "pipeline").glob("*.py"))]
    for base, files in ((folder, _files(folder)), (kg_dir, code)):
        for path in files:
            h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    if patterns is not None:
        try:
            h.update(b"patterns\0" + Path(patterns).read_bytes())
        except OSError:
            from .pipeline import PipelineError

            raise PipelineError(f"{patterns}: no such patterns file") from None
    return h.hexdigest()[:16]


def _files(folder: Optional[Path]) -> List[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _package_path(name: str) -> Optional[Path]:
    import spacy.util

    return spacy.util.get_package_path(name) if spacy.util.is_package(name) else None


def encode(ex: Extraction) -> Encoded:
    """An extraction as rows: sentences by their offsets in the text, mentions without article id."""
    text, at, sentences = ex.article.text, 0, []
    for paragraph, sentence in zip(ex.sentence_paragraphs, ex.sentences):
        start = text.index(sentence, at)  # sentences are stripped pieces of the text, in order
        at = start + len(sentence)
        sentences.append([paragraph, start, at])
    mentions = [(m.paragraph, m.sentence, m.start, m.end, m.text, m.type, m.name, m.role, int(m.byline))
                for m in ex.mentions]
    return text_hash(ex.article), json.dumps(sentences), mentions


class Store:
    """An SQLite file (or ``":memory:"``) of articles and extractions; one writer at a time."""

    def __init__(self, path: Union[str, Path] = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # check_same_thread off: a KnowledgeGraph may read its evidence from another thread
            self.db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise StoreError(f"{self.path}: a store of another kg version (schema {version}); "
                                 "delete it or pass another --store")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no commit
            self.db.executescript(SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION};")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a kg store ({err})") from None

    def __repr__(self) -> str:
        return f"<Store {self.path}>"

    def close(self) -> None:
        self.db.close()

    # -- articles ------------------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> List[int]:
        """Store the articles not yet stored; their row ids, in order. One transaction."""
        rows = []
        with self.db:
            for a in articles:
                full = _sha1([a.id, a.title, a.paragraphs, a.date, a.url, a.source,
                              [[b.name, b.role] for b in a.bylines]])
                found = self.db.execute("SELECT rowid FROM articles WHERE hash = ?", (full,)).fetchone()
                if found is None:
                    found = (self.db.execute(
                        "INSERT INTO articles (hash, text_hash, id, title, date, url, source, paragraphs, bylines)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (full, text_hash(a), a.id, a.title, a.date, a.url, a.source,
                         json.dumps(a.paragraphs, ensure_ascii=False),
                         json.dumps([[b.name, b.role] for b in a.bylines], ensure_ascii=False))).lastrowid,)
                rows.append(found[0])
        return rows

    def missing(self, rows: Sequence[int], version: str) -> List[int]:
        """The rows (one per distinct text, in order) that have no extraction by ``version``."""
        todo, seen = [], set()
        for row, th, done in self._select(rows, "a.text_hash, EXISTS (SELECT 1 FROM docs d "
                                          "WHERE d.text_hash = a.text_hash AND d.version = ?)", (version,)):
            if not done and th not in seen:
                seen.add(th)
                todo.append(row)
        return todo

    def digest(self, rows: Sequence[int]) -> str:
        """A hash of the articles of ``rows``, in order: equal digests, equal corpora."""
        h = hashlib.sha1()
        for _, full in self._select(rows, "a.hash"):
            h.update(full.encode())
        return h.hexdigest()

    def articles(self, rows: Sequence[int]) -> Iterator[Article]:
        for row in self._select(rows, _ARTICLE_COLUMNS):
            yield _article(row[1:])

    def _select(self, rows: Sequence[int], columns: str, params: tuple = ()) -> Iterator[tuple]:
        """``columns`` of ``articles a`` for ``rows``, in their order, a chunk of rows per query."""
        for i in range(0, len(rows), _CHUNK):
            chunk = rows[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found = {r[0]: r for r in self.db.execute(
                f"SELECT a.rowid, {columns} FROM articles a WHERE a.rowid IN ({marks})", params + tuple(chunk))}
            yield from (found[r] for r in chunk if r in found)

    # -- extractions ---------------------------------------------------------------------------
    def save(self, version: str, batch: Iterable[Encoded]) -> None:
        """Store a batch of encoded extractions, committed together."""
        now = time.time()
        with self.db:
            for th, sentences, mentions in batch:
                doc = self.db.execute("INSERT OR IGNORE INTO docs (text_hash, version, sentences, extracted_at)"
                                      " VALUES (?, ?, ?, ?)", (th, version, sentences, now))
                if doc.rowcount:
                    self.db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        [(doc.lastrowid, n, *m) for n, m in enumerate(mentions)])

    def extractions(self, rows: Sequence[int], version: str, *,
                    types: Optional[Iterable[str]] = None) -> Iterator[Extraction]:
        """The extractions of ``rows`` by ``version``, in order, read a chunk at a time; ``types``
        keeps only mentions of those types. Rows without one are left out."""
        types = set(types) if types else None
        for i in range(0, len(rows), _CHUNK):
            yield from self._decode(self._chunk(rows[i:i + _CHUNK], version), types)

    def _chunk(self, rows: Sequence[int], version: str) -> List[tuple]:
        marks = ",".join("?" * len(rows))
        found = {r[0]: r for r in self.db.execute(
            f"SELECT a.rowid, {_ARTICLE_COLUMNS}, d.id, d.sentences FROM articles a "
            f"JOIN docs d ON d.text_hash = a.text_hash AND d.version = ? WHERE a.rowid IN ({marks})",
            (version, *rows))}
        return [found[r] for r in rows if r in found]

    def _decode(self, chunk: List[tuple], types: Optional[set]) -> Iterator[Extraction]:
        docs = sorted({row[-2] for row in chunk})
        mentions: dict = {d: [] for d in docs}
        if docs:
            marks = ",".join("?" * len(docs))
            for m in self.db.execute(
                    "SELECT doc, paragraph, sentence, start_char, end_char, text, type, name, role, byline "
                    f"FROM mentions WHERE doc IN ({marks}) ORDER BY doc, n", docs):
                mentions[m[0]].append(m)
        for row in chunk:
            article = _article(row[1:-2])
            text, aid = article.text, article.id
            spans = json.loads(row[-1])
            yield Extraction(
                article,
                tuple(text[s:e] for _, s, e in spans),
                tuple(p for p, _, _ in spans),
                tuple(Mention(aid, *m[1:9], m[9] == 1)
                      for m in mentions[row[-2]] if types is None or m[6] in types),
            )


_ARTICLE_COLUMNS = "a.id, a.title, a.paragraphs, a.date, a.url, a.source, a.bylines"


def _article(row: tuple) -> Article:
    id_, title, paragraphs, date, url, source, bylines = row
    return Article(id_, title, tuple(json.loads(paragraphs)), date, url, source,
                   tuple(Byline(name, role) for name, role in json.loads(bylines)))


class StoredExtractions:
    """The extractions of a build, read from its store each time they are iterated (not held)."""

    def __init__(self, store: Store, rows: Sequence[int], version: str, *, types: Optional[Iterable[str]] = None):
        self.store, self.rows, self.version = store, list(rows), version
        self.types = sorted(types) if types else None

    def __iter__(self) -> Iterator[Extraction]:
        return self.store.extractions(self.rows, self.version, types=self.types)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<StoredExtractions: {len(self.rows)} articles in {self.store.path}>"
