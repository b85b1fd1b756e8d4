"""kg's spaCy pipeline: the embedded Chinese NER model, its components, and loading other pipelines.

>>> import kg
>>> nlp = kg.load_pipeline()
>>> [(e.text, e.label_) for e in nlp("区委书记袁加伟主持召开座谈会").ents]
[('袁加伟', 'PERSON')]
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import spacy
from spacy.language import Language

from . import architectures, components, ner  # noqa: F401  (register kg's layers and factories)
from .components import LABELS, ONTONOTES_TO_KG

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
# Components that set sentences from a parse; kg's rules replace them, and an external parser
# would refuse sentence starts set before it.
_SENTENCE_SETTERS = ("parser", "senter", "sentencizer")


class PipelineError(RuntimeError):
    """A pipeline could not be loaded; the message is one line that says what to do."""


def load_pipeline(model: Optional[Union[str, Path]] = None, *, patterns: Optional[Union[str, Path]] = None) -> Language:
    """Load kg's embedded Chinese NER pipeline, or another installed spaCy pipeline by name or path.

    Entities come out as PERSON, ORG, PLACE and PROJECT. Another pipeline's labels are mapped
    (OntoNotes PERSON -> PERSON, ORG -> ORG, GPE/LOC/FAC -> PLACE, the rest dropped) and kg's
    sentence, project and name components are added to it. ``patterns`` is a spaCy EntityRuler
    JSONL file of the user's own names, which win over the model.

    >>> nlp = load_pipeline()                       # the model inside kg, offline
    >>> nlp = load_pipeline("zh_core_web_sm")       # an installed pipeline, labels mapped
    """
    if model is None:
        if not (MODEL_DIR / "config.cfg").exists():
            raise PipelineError(f"kg's model is missing from {MODEL_DIR}: reinstall kg or run the training project")
        nlp = spacy.load(MODEL_DIR)
    else:
        nlp = _load_other(model)
    if "kg.CharBigramEmbed" in str(nlp.config["components"].get("tok2vec", {}).get("model", {})):
        _use_numpy_gemm(nlp)
    if patterns is not None:
        add_patterns(nlp, patterns)
    return nlp


def _use_numpy_gemm(nlp: Language) -> None:
    """Run kg's narrow CNN on numpy's BLAS rather than thinc's default blis: for these small
    matrices it is faster on the CPUs we measured (bench/ner_speed.py)."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


def _load_other(model: Union[str, Path]) -> Language:
    name = str(model)
    is_path = Path(name).exists()
    if not is_path and not spacy.util.is_package(name):
        if "/" in name or "\\" in name or name.startswith("."):
            raise PipelineError(f"no spaCy pipeline at {name}: the folder does not exist")
        raise PipelineError(
            f"spaCy pipeline '{name}' is not installed: install it with `python -m spacy download {name}` "
            "on a machine with internet (or pip install its wheel), or pass the path of a pipeline folder"
        )
    try:
        nlp = spacy.load(name, exclude=list(_SENTENCE_SETTERS))
    except (OSError, ValueError) as err:
        raise PipelineError(f"could not load spaCy pipeline '{name}': {str(err).splitlines()[0]}") from None
    if "kg_names" in nlp.pipe_names:
        return nlp  # a kg pipeline already (another version of kg's own model)
    if "ner" not in nlp.pipe_names and not any(p in nlp.pipe_names for p in ("entity_ruler", "kg_projects")):
        raise PipelineError(f"spaCy pipeline '{name}' has no 'ner' component: kg needs entities")
    nlp.add_pipe("kg_sentences", first=True)
    nlp.add_pipe("kg_label_map", config={"mapping": ONTONOTES_TO_KG})
    nlp.add_pipe("kg_orgs")
    nlp.add_pipe("kg_places")
    nlp.add_pipe("kg_projects")
    nlp.add_pipe("kg_names")
    return nlp


def add_patterns(nlp: Language, patterns: Union[str, Path]) -> Language:
    """Add the user's EntityRuler patterns (JSONL, one ``{"label": ..., "pattern": ...}`` a line)."""
    path = Path(patterns)
    if not path.is_file():
        raise PipelineError(f"{path}: no such patterns file")
    import srsly

    try:
        rules = list(srsly.read_jsonl(path))
    except ValueError as err:
        raise PipelineError(f"{path}: not valid JSON lines ({err})") from None
    for lineno, rule in enumerate(rules, 1):
        if not isinstance(rule, dict) or "label" not in rule or "pattern" not in rule:
            raise PipelineError(f"{path}:{lineno}: a pattern needs 'label' and 'pattern'")
        if rule["label"] not in LABELS:
            raise PipelineError(f"{path}:{lineno}: label {rule['label']!r} is not one of {', '.join(LABELS)}")
    # after the model and the project rules, before kg_names so a patterned person still gets a role
    before = "kg_names" if "kg_names" in nlp.pipe_names else None
    ruler = nlp.add_pipe("entity_ruler", name="kg_patterns", before=before, config={"overwrite_ents": True})
    with nlp.select_pipes(enable=[]):  # else spaCy runs the model over every phrase pattern (ORTH needs tokens only)
        ruler.add_patterns(rules)
    return nlp


__all__ = ["load_pipeline", "add_patterns", "PipelineError", "LABELS", "MODEL_DIR"]
