"""Model architectures for kg's Chinese NER, registered with spaCy so a config can name them.

Chinese NER on character tokens gains most from knowing each character's neighbours as units: a
character bigram (区委, 书记, 公司) carries much of what a word segmenter would. The embedding below
hashes the left and right bigram of every character next to the character itself, so the tagger
sees word-like units without a segmenter at run time.
"""
from __future__ import annotations

from typing import Callable, List, Tuple

import numpy
from spacy.attrs import ORTH, SHAPE
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def _char_features(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Ints2d], Callable]:
    features = []
    for doc in docs:
        arr = doc.to_array([ORTH, SHAPE]).astype("uint64")
        orth = arr[:, 0]
        prev = numpy.concatenate([numpy.zeros(1, dtype="uint64"), orth[:-1]])
        nxt = numpy.concatenate([orth[1:], numpy.zeros(1, dtype="uint64")])
        with numpy.errstate(over="ignore"):
            left = (prev * _MIX) ^ orth
            right = (orth * _MIX) ^ nxt
        cols = numpy.stack([orth, left, right, arr[:, 1]], axis=1)
        features.append(model.ops.asarray2i(cols, dtype="uint64"))
    return features, lambda d_features: []


@registry.layers("kg.CharFeatures.v1")
def CharFeatures() -> Model[List[Doc], List[Ints2d]]:
    """Per character: its ORTH, the hashes of its left and right bigrams, and its SHAPE."""
    return Model("kg_char_features", _char_features)


@registry.architectures("kg.CharBigramEmbed.v1")
def CharBigramEmbed(
    width: int, char_rows: int, bigram_rows: int, shape_rows: int = 64
) -> Model[List[Doc], List[Floats2d]]:
    """Embed each character token from its character, both bigrams around it and its shape.

    Example config::

        [components.tok2vec.model.embed]
        @architectures = "kg.CharBigramEmbed.v1"
        width = 96
        char_rows = 8000
        bigram_rows = 40000
    """
    rows = [char_rows, bigram_rows, bigram_rows, shape_rows]
    tables = [HashEmbed(width, n, column=i, seed=11 + i, dropout=0.0) for i, n in enumerate(rows)]
    return chain(
        CharFeatures(),
        list2ragged(),
        with_array(concatenate(*tables)),
        with_array(Maxout(width, width * len(tables), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
