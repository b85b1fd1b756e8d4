"""spaCy's entity recognizer with its greedy decoder run in numpy, one step for a whole batch.

The weights, the transition system and the training are spaCy's own (``EntityRecognizer``); only
prediction differs. spaCy's decoder walks each document's states in a C loop whose cost per
character is almost all bookkeeping (the validity of every move, a BLAS call per step, the GIL
taken at every step); with character tokens that loop was half of kg's time. Here a step advances
every document of the batch at once: the features of all states are gathered, scored by the same
two layers and the same moves chosen (the first best valid move, as spaCy does). The entities are
the same (tests compare the two on news and on MSRA sentences).

The numpy decoder handles what kg's pipeline gives the recognizer: no entity set before it and
greedy search (``beam_width`` 1). Anything else goes to spaCy's own decoder.
"""
from __future__ import annotations

from typing import List, Optional

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.pipeline.ner import DEFAULT_NER_MODEL
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import Model

_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
# Documents read side by side: a step costs about the same for 10 or 200 of them and a decode runs as many
# steps as its longest document has tokens, so the more (sorted) documents a decode takes the fewer steps
# in all; the precomputed features take 768 bytes a token, 49 MB at most (32,000 tokens: 4-7% slower).
_DECODE_DOCS = 256
_DECODE_TOKENS = 64_000
_MOVES = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


class _Decoded(list):
    """Entities per document as (start, end, label) token offsets: what ``greedy_decode`` returns."""


class FastEntityRecognizer(EntityRecognizer):
    """``EntityRecognizer`` whose greedy prediction is the batched numpy decoder of this module."""

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        if self.cfg.get("beam_width", 1) != 1 or any(_has_preset(doc) for doc in docs):
            return super().predict(docs)
        return greedy_decode(self, docs)

    def set_annotations(self, docs, states_or_beams):
        if not isinstance(states_or_beams, _Decoded):
            return super().set_annotations(docs, states_or_beams)
        for doc, ents in zip(docs, states_or_beams):
            doc.set_ents([Span(doc, s, e, label=label) for s, e, label in ents], default="outside")

    def pipe(self, docs, *, batch_size: int = 256):
        # Sort a batch by length and decode neighbours together (see _DECODE_DOCS).
        error_handler = self.get_error_handler()
        for batch in minibatch(docs, size=batch_size):
            try:
                part, n_tokens = [], 0
                for doc in sorted(batch, key=len):
                    if part and (len(part) >= _DECODE_DOCS or n_tokens + len(doc) > _DECODE_TOKENS):
                        self.set_annotations(part, self.predict(part))
                        part, n_tokens = [], 0
                    part.append(doc)
                    n_tokens += len(doc)
                if part:
                    self.set_annotations(part, self.predict(part))
                yield from batch
            except Exception as err:
                error_handler(self.name, self, batch, err)


@Language.factory(
    "kg_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_fast_ner(
    nlp: Language,
    name: str,
    model: Model,
    moves,
    update_with_oracle_cut_size: int,
    incorrect_spans_key: Optional[str],
    scorer,
):
    """spaCy's ``ner`` (same config, weights and training) with the batched numpy decoder."""
    return FastEntityRecognizer(
        nlp.vocab,
        model,
        name=name,
        moves=moves,
        update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key,
        scorer=scorer,
    )


def _has_preset(doc: Doc) -> bool:
    return bool(len(doc)) and bool(doc.to_array(ENT_IOB).any())


def greedy_decode(ner: EntityRecognizer, docs: List[Doc]) -> _Decoded:
    """Greedy transition-based NER over ``docs`` at once; the entities spaCy's decoder finds.

    >>> import kg
    >>> nlp = kg.load_pipeline()
    >>> doc = nlp.make_doc("区委书记袁加伟主持召开座谈会")
    >>> doc = nlp.get_pipe("tok2vec")(nlp.get_pipe("kg_sentences")(doc))
    >>> greedy_decode(nlp.get_pipe("ner"), [doc])[0]  # the model's own guess: kg_names makes 区委 a title
    [(0, 2, 'ORG'), (4, 7, 'PERSON')]
    """
    out = _Decoded([] for _ in docs)
    lengths = numpy.array([len(doc) for doc in docs], dtype="int64")
    if not lengths.sum():
        return out
    model = ner.model
    moves, labels, names = _actions(ner)
    tokvecs = model.get_ref("tok2vec").predict(docs)
    lower, upper = model.get_ref("lower"), model.get_ref("upper")
    # (tokens + 1, features, hidden, pieces); row 0 is the padding of an absent feature. Each
    # feature apart and pieces first, so a step gathers whole rows and maxes two contiguous slices.
    cached = numpy.asarray(lower.predict(tokvecs), dtype="float32").transpose(1, 0, 3, 2)
    first, start, before = (numpy.ascontiguousarray(c) for c in cached)
    bias = numpy.asarray(lower.get_param("b"), dtype="float32").T
    n_pieces = bias.shape[0]
    W = numpy.asarray(upper.get_param("W"), dtype="float32")
    b = numpy.asarray(upper.get_param("b"), dtype="float32")
    unseen = numpy.zeros(len(moves), dtype=bool)
    unseen[list(model.attrs.get("unseen_classes", ()))] = True
    has_unseen = bool(unseen.any())

    arr = numpy.concatenate([doc.to_array([IS_SPACE, SENT_START]).astype("int64").reshape(-1, 2) for doc in docs])
    is_space = arr[:, 0] == 1
    # an entity cannot go on to the next token where that token starts a sentence
    next_starts = numpy.append(arr[1:, 1] == 1, False)
    valid_moves = _valid_moves(moves, labels, len(names))

    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)[:-1]])
    # one row per document still being read, dropped when it ends (documents come shortest first);
    # token positions are global: the document's offset plus its position
    ids = numpy.flatnonzero(lengths > 0)
    here = offsets[ids].copy()
    left = lengths[ids].copy()  # tokens not yet read, this one included
    ent_start = numpy.zeros(len(ids), dtype="int64")
    ent_label = numpy.zeros(len(ids), dtype="int64")  # 0 while no entity is open
    # 0 where a move is valid, -inf where not, by the key computed below
    penalty = numpy.where(valid_moves, 0.0, -numpy.inf).astype("float32")
    found = []
    while ids.size:
        opened = ent_label > 0
        rows1 = numpy.where(opened, ent_start + 1, 0)  # the entity's first token
        rows2 = numpy.where(opened, here, 0)  # the token before B(0), inside the open entity
        h = first[here + 1] + start[rows1] + before[rows2] + bias
        hidden = h[:, 0]
        for piece in range(1, n_pieces):
            hidden = numpy.maximum(hidden, h[:, piece])
        scores = hidden @ W.T + b
        if has_unseen:
            scores[:, unseen] = scores.min()
        go_on = (left >= 2) & ~next_starts[here]
        space = is_space[here]
        # closed: which of B and U may start here; open: whether I may continue, and the label
        key = numpy.where(opened, 4 + go_on + 2 * ent_label, (go_on & ~space) + 2 * ~space)
        guess = (scores + penalty[key]).argmax(axis=1)
        move, label = moves[guess], labels[guess]
        begin = move == _BEGIN
        ent_start = numpy.where(begin, here, ent_start)
        ent_label = numpy.where(begin, label, ent_label)
        ends = (move == _LAST) | (move == _UNIT)
        if ends.any():
            unit = move[ends] == _UNIT
            found.append((ids[ends], numpy.where(unit, here[ends], ent_start[ends]), here[ends] + 1, label[ends]))
            ent_label = numpy.where(ends, 0, ent_label)
        here += 1
        left -= 1
        if not left.all():
            keep = left > 0
            ids, here, left, ent_start, ent_label = ids[keep], here[keep], left[keep], ent_start[keep], ent_label[keep]
    for which, starts, ends, labs in found:
        base = offsets[which]
        for d, s, e, lab in zip(which.tolist(), (starts - base).tolist(), (ends - base).tolist(), labs.tolist()):
            out[d].append((s, e, names[lab]))
    for ents in out:
        ents.sort()
    return out


def _valid_moves(moves, labels, n_labels: int):
    """Which classes are valid, by the key the decoder computes from a state: 0-3 with no entity
    open (bit 1: B may start here, bit 2: U may), 4 + I-may-continue + 2 * open label otherwise;
    BiluoPushDown's rules for a document with no preset entities."""
    labelled = labels != 0
    table = numpy.zeros((4 + 2 * n_labels + 2, len(moves)), dtype=bool)
    for key in range(4):
        table[key] = (moves == _OUT) | (moves == _BEGIN) & labelled & bool(key & 1) | (moves == _UNIT) & labelled & bool(key & 2)
    for label in range(1, n_labels):
        same = labels == label
        table[4 + 2 * label] = (moves == _LAST) & same
        table[5 + 2 * label] = ((moves == _LAST) | (moves == _IN)) & same
    return table


def _actions(ner: EntityRecognizer):
    """Per class, in the model's order: its kind of move and its label as an index into the
    returned names (0: no label)."""
    names = [""]
    moves, labels = [], []
    for i in range(ner.moves.n_moves):
        move, _, label = ner.moves.get_class_name(i).partition("-")
        if label and label not in names:
            names.append(label)
        moves.append(_MOVES.get(move, -1))
        labels.append(names.index(label) if label else 0)
    return numpy.array(moves), numpy.array(labels), names
