"""kg: knowledge graphs of people, organisations, places and projects from Chinese news.

>>> import kg
>>> kgraph = kg.build(["seeds/"])
>>> kgraph.neighbors("袁加伟")
>>> kgraph.write_all("output/")
"""
from .build import build
from .pipeline import LABELS, PipelineError, load_pipeline
from .query import KnowledgeGraph, UnknownEntity
from .read import Article, ReadError, read_articles

__version__ = "0.1.0"
__all__ = ["build", "load_pipeline", "read_articles", "KnowledgeGraph", "Article", "ReadError", "PipelineError",
           "UnknownEntity", "LABELS", "__version__"]
