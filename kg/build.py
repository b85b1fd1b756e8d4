"""Wiring: sources -> articles -> store -> extractions -> graph, the whole job behind ``kg build``.

Articles go into a :class:`~kg.store.Store` (an SQLite file, or memory); only those whose text has
no extraction by the current pipeline version are run through the model, in batches spread over
``jobs`` processes, each batch committed as it comes back. The graph is then built from the store,
one article at a time.

>>> kgraph = build(["seeds/"], window="sentence")
>>> kgraph = build(["news.jsonl"], store="output/kg.sqlite", jobs=2)   # again: no NER at all
>>> kgraph.write_all("output/")
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import multiprocessing
import os
import signal
import sys
from collections import deque
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Union

from spacy.language import Language
from tqdm.auto import tqdm

from .extract import from_doc
from .link import build_graph
from .pipeline import LABELS, load_pipeline
from .query import KnowledgeGraph
from .read import read_articles
from .store import Store, StoredExtractions, encode, pipeline_version

Source = Union[str, Path]
BATCH = 64  # articles per batch: one nlp.pipe call in a worker, one commit


@dataclass(frozen=True)
class BuildStats:
    """What a build did: ``articles`` in the graph, ``extracted`` by the model, the rest from ``store``."""

    articles: int
    extracted: int
    store: Optional[str]


@dataclass
class Corpus:
    """The articles of a build, all extracted into ``store``: what its graph is made of."""

    store: Store
    rows: List[int]  # the articles' rows in the store, in read order
    version: str  # the pipeline version whose extractions are used
    extracted: int  # how many texts the model ran on in this build

    def fingerprint(self, **options) -> str:
        """A key that changes when the graph (and what kg writes of it) would: other articles, pipeline,
        options or kg code."""
        return hashlib.sha1(json.dumps([self.store.digest(self.rows), self.version, _code_digest(), options],
                                       sort_keys=True, default=str).encode()).hexdigest()


def build(
    sources: Union[Source, Iterable[Source]],
    *,
    model: Optional[Source] = None,
    window: str = "sentence",
    min_weight: int = 1,
    include_bylines: bool = False,
    patterns: Optional[Source] = None,
    jobs: Optional[int] = 1,
    progress: bool = False,
    on_warning: Optional[Callable[[str], None]] = None,
    store: Optional[Source] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    types: Optional[Iterable[str]] = None,
) -> KnowledgeGraph:
    """Read articles, extract their entities and link them into a :class:`KnowledgeGraph`.

    ``sources``: .txt files (a newspaper page is split into its articles), folders, JSON Lines
    or CSV with a ``text`` column. ``window``: "sentence", "paragraph" or "article".
    ``store``: an SQLite file keeping extractions between builds (default: none, in memory).
    ``jobs``: processes for extraction (``None``: all cores). ``since``/``until`` (yyyy-mm-dd)
    keep the articles dated in that range, ``types`` the entities of those types.
    The returned graph's ``stats`` is a :class:`BuildStats`.
    """
    check_options(window=window, min_weight=min_weight, jobs=jobs, since=since, until=until, types=types)
    corpus = update(sources, model=model, patterns=patterns, store=store, since=since, until=until, jobs=jobs,
                    progress=progress, on_warning=on_warning)
    return link(corpus, window=window, min_weight=min_weight, include_bylines=include_bylines, types=types)


def check_options(*, window="sentence", min_weight=1, jobs=1, since=None, until=None, types=None,
                  include_bylines=False) -> None:
    """Raise ValueError for a bad option, before the slow part starts."""
    build_graph([], window=window, min_weight=min_weight)
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise ValueError(f"jobs must be a positive integer, not {jobs!r}")
    _date("since", since), _date("until", until), _types(types)


def update(sources, *, model=None, patterns=None, store=None, since=None, until=None, jobs=1,
           progress=False, on_warning=None) -> Corpus:
    """Read the articles (dated ``since``..``until``) into the store and extract those not yet there."""
    since, until = _date("since", since), _date("until", until)
    version = pipeline_version(model, patterns)
    db = Store(store if store is not None else ":memory:")
    articles = read_articles(sources, on_warning=on_warning)
    if since or until:
        articles = (a for a in articles if a.date and (since or a.date) <= a.date <= (until or a.date))
    rows = db.add_articles(articles)
    if not rows and on_warning:
        on_warning(f"no article is dated from {since or 'the first day'} to {until or 'the last day'}")
    todo = db.missing(rows, version)
    if todo:  # the model is loaded only when there is something to extract
        extract_into(db, todo, version, partial(load_pipeline, model, patterns=patterns),
                     jobs=_cores() if jobs is None else jobs, progress=progress)
    return Corpus(db, rows, version, len(todo))


def link(corpus: Corpus, *, window="sentence", min_weight=1, include_bylines=False, types=None) -> KnowledgeGraph:
    """The graph of a corpus, its extractions streamed from the store; the graph reads them again
    for :meth:`~kg.query.KnowledgeGraph.relation`'s every sentence."""
    extractions = StoredExtractions(corpus.store, corpus.rows, corpus.version, types=_types(types))
    graph = build_graph(extractions, window=window, min_weight=min_weight, include_bylines=include_bylines)
    kgraph = KnowledgeGraph(graph, extractions)
    path = None if corpus.store.path == ":memory:" else corpus.store.path
    kgraph.stats = BuildStats(len(corpus.rows), corpus.extracted, path)
    return kgraph


MARK = ".kg-build.json"  # in the output folder: the fingerprint of the build that wrote it


def outputs_current(out: Source, key: str) -> bool:
    """True if ``out`` holds the files a build with fingerprint ``key`` wrote, untouched since."""
    try:
        mark = json.loads((Path(out) / MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return mark.get("key") == key and bool(mark.get("files")) and all(
        _stamp(Path(out) / name) == stamp for name, stamp in mark["files"].items())


def mark_outputs(out: Source, key: str, written: Iterable[Path]) -> None:
    files = {Path(p).name: _stamp(Path(p)) for p in written}
    (Path(out) / MARK).write_text(json.dumps({"key": key, "files": files}), encoding="utf-8")


def _stamp(path: Path) -> Optional[list]:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def extract_into(store: Store, rows: Sequence[int], version: str, pipeline: Callable[[], Language], *,
                 jobs: int = 1, progress: bool = False) -> None:
    """Extract the articles of ``rows`` into ``store`` with the pipeline that ``pipeline()`` loads,
    in batches, committing each batch.

    With ``jobs`` > 1 the batches go to worker processes, at most two per worker in flight, so
    memory does not grow with the corpus; only this process writes to the store. On Linux the
    workers are forked from this process with the pipeline loaded; elsewhere each loads its own.
    """
    global _NLP
    # small jobs: fewer, smaller batches, so every worker gets some and progress shows early
    size = max(4, min(BATCH, math.ceil(len(rows) / (jobs * 4))))
    jobs = min(jobs, math.ceil(len(rows) / size))
    fork = sys.platform == "linux"
    _NLP = pipeline() if jobs == 1 or fork else None
    pool = None
    if jobs > 1:  # started before the progress bar's thread: fork and threads do not mix
        threads = max(1, _cores() // jobs)  # numpy's BLAS threads per worker: their share of the cores
        env = os.environ.copy()
        os.environ["OPENBLAS_NUM_THREADS"] = str(threads)  # read by a spawned worker's numpy as it loads
        try:
            pool = multiprocessing.get_context("fork" if fork else "spawn").Pool(
                jobs, initializer=_worker_start, initargs=(None if fork else pipeline, threads))
        finally:
            os.environ.clear()
            os.environ.update(env)
    bar = tqdm(total=len(rows), unit="article", desc="kg extract", disable=not progress, leave=False)
    try:
        batches = _batches(store.articles(rows), size)
        done = _in_pool(pool, batches, jobs) if pool else ((len(b), _extract(b)) for b in batches)
        for n, encoded in done:
            store.save(version, encoded)
            bar.update(n)
    finally:
        if pool is not None:
            pool.terminate()
        _NLP = None
        bar.close()


def _in_pool(pool, batches: Iterable[list], jobs: int) -> Iterator[tuple]:
    """(size, extractions) of each batch, in order, with at most two batches a worker in flight."""
    pending: deque = deque()
    for batch in batches:
        pending.append((len(batch), pool.apply_async(_extract, (batch,))))
        while len(pending) >= 2 * jobs or (pending and pending[0][1].ready()):
            n, result = pending.popleft()
            yield n, result.get()
    for n, result in pending:
        yield n, result.get()


_NLP = None  # the pipeline, in this process and in the workers it forks


def _worker_start(pipeline: Optional[Callable[[], Language]], blas_threads: int) -> None:
    global _NLP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    _set_blas_threads(blas_threads)
    if pipeline is not None:  # not forked: load it here
        _NLP = pipeline()


def _set_blas_threads(n: int) -> None:
    """Give a forked worker's OpenBLAS ``n`` threads. Two workers on two cores, each with BLAS
    threads for every core, fight over them: 41-46k chars/s against 64-66k with one thread each
    (bench machine, 1,000 news articles). OpenBLAS reads its environment only when loaded, so the
    loaded library is told directly; found in /proc/self/maps (Linux), a no-op elsewhere."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return
    import ctypes

    for path in {line.split()[-1] for line in maps.splitlines() if "openblas" in line.rsplit("/", 1)[-1]}:
        lib = ctypes.CDLL(path)
        for name in ("openblas_set_num_threads", "openblas_set_num_threads64_",
                     "scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads"):
            if hasattr(lib, name):
                getattr(lib, name)(n)
                break


def _die_with_parent() -> None:
    """A worker whose parent was killed (SIGKILL leaves no time to stop it) ends too (Linux)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _extract(batch: list) -> list:
    docs = _NLP.pipe([a.text for a in batch], batch_size=len(batch))
    return [encode(from_doc(doc, article)) for doc, article in zip(docs, batch)]


def _batches(items: Iterable, size: int) -> Iterable[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _code_digest() -> str:
    """kg's own code and page assets: outputs are rewritten when kg changes."""
    h = hashlib.sha1()
    for path in sorted(p for p in Path(__file__).parent.rglob("*") if p.suffix in (".py", ".js", ".css", ".html")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _date(name: str, value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a date as yyyy-mm-dd, not {value!r}") from None


def _types(types: Optional[Iterable[str]]) -> Optional[List[str]]:
    if types is None:
        return None
    types = [types] if isinstance(types, str) else list(types)
    wrong = [t for t in types if t not in LABELS]
    if wrong or not types:
        raise ValueError(f"types must be among {', '.join(LABELS)}, not {', '.join(wrong) or 'none'}")
    return types
