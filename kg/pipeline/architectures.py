"""Model architectures for kg's Chinese NER, registered with spaCy so a config can name them.

Chinese NER on character tokens gains most from knowing each character's neighbours as units: a
character bigram (区委, 书记, 公司) carries much of what a word segmenter would. The embedding below
hashes the left and right bigram of every character next to the character itself, so the tagger
sees word-like units without a segmenter at run time.
"""
from __future__ import annotations

from typing import Callable, List, Tuple

import numpy
from spacy.attrs import IS_SPACE, ORTH, SHAPE
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

_MIX = numpy.uint64(0x9E3779B97F4A7C15)


def _char_features(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Ints2d], Callable]:
    features = []
    spaces_as = model.attrs["spaces_as"]
    zero = numpy.uint64(0)
    for doc in docs:
        arr = doc.to_array([ORTH, SHAPE, IS_SPACE]).astype("uint64")
        orth, shape = arr[:, 0], arr[:, 1]
        prev = numpy.concatenate([numpy.zeros(1, dtype="uint64"), orth[:-1]])
        nxt = numpy.concatenate([orth[1:], numpy.zeros(1, dtype="uint64")])
        if spaces_as is not None and arr[:, 2].any():
            # Training sentences hold no line breaks, so a name starting a paragraph had a left bigram
            # never seen (\n王受文表示 missed, 。王受文表示 found). Next to whitespace a character now
            # reads as at the start or end of a text, and the whitespace as a full stop on its own.
            space = arr[:, 2] == 1
            prev[1:][space[:-1]] = zero
            nxt[:-1][space[1:]] = zero
            stop = numpy.uint64(doc.vocab.strings.add(spaces_as))
            orth, shape = numpy.where(space, stop, orth), numpy.where(space, stop, shape)
            prev, nxt = numpy.where(space, zero, prev), numpy.where(space, zero, nxt)
        with numpy.errstate(over="ignore"):
            left = (prev * _MIX) ^ orth
            right = (orth * _MIX) ^ nxt
        cols = numpy.stack([orth, left, right, shape], axis=1)
        features.append(model.ops.asarray2i(cols, dtype="uint64"))
    return features, lambda d_features: []


@registry.layers("kg.CharFeatures.v1")
def CharFeatures() -> Model[List[Doc], List[Ints2d]]:
    """Per character: its ORTH, the hashes of its left and right bigrams, and its SHAPE."""
    return Model("kg_char_features", _char_features, attrs={"spaces_as": None})


@registry.layers("kg.CharFeatures.v2")
def CharFeaturesSpacesAsStop(spaces_as: str = "。") -> Model[List[Doc], List[Ints2d]]:
    """As v1, but whitespace (line and paragraph breaks, spaces) separates like the edge of a text:
    the characters beside it see no bigram across it, and it reads as ``spaces_as`` itself."""
    return Model("kg_char_features", _char_features, attrs={"spaces_as": spaces_as})


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
    return _embed(CharFeatures(), width, char_rows, bigram_rows, shape_rows)


@registry.architectures("kg.CharBigramEmbed.v2")
def CharBigramEmbedSpacesAsStop(
    width: int, char_rows: int, bigram_rows: int, shape_rows: int = 64, spaces_as: str = "。"
) -> Model[List[Doc], List[Floats2d]]:
    """As v1 (the same weights load), but whitespace separates like the edge of a text (see
    ``kg.CharFeatures.v2``): a name that starts a paragraph looks like one that starts a sentence."""
    return _embed(CharFeaturesSpacesAsStop(spaces_as), width, char_rows, bigram_rows, shape_rows)


def _embed(features: Model, width: int, char_rows: int, bigram_rows: int, shape_rows: int) -> Model:
    rows = [char_rows, bigram_rows, bigram_rows, shape_rows]
    tables = [HashEmbed(width, n, column=i, seed=11 + i, dropout=0.0) for i, n in enumerate(rows)]
    return chain(
        features,
        list2ragged(),
        with_array(concatenate(*tables)),
        with_array(Maxout(width, width * len(tables), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
