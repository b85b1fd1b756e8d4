"""training/scripts/soup.py: the soup of pipelines is the weighted mean of their weights, layer by layer, and it
refuses pipelines that are not the same model."""
import sys
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import fix_random_seed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training" / "scripts"))

from soup import soup  # noqa: E402

TINY_NER = {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                      "extra_state_tokens": False, "hidden_width": 8, "maxout_pieces": 2, "use_upper": True,
                      "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                                  "width": 8, "depth": 1, "embed_size": 64, "window_size": 1,
                                  "maxout_pieces": 2, "subword_features": False}}}


def _tiny_pipeline(path: Path, *, seed: int, width: int = 8) -> Path:
    fix_random_seed(seed)
    nlp = spacy.blank("zh")
    config = {"model": {**TINY_NER["model"], "tok2vec": {**TINY_NER["model"]["tok2vec"], "width": width}}}
    nlp.add_pipe("ner", config=config)
    doc = nlp.make_doc("袁加伟主持会议")
    examples = [Example.from_dict(doc, {"entities": [(0, 3, "PERSON")]})]
    nlp.initialize(lambda: examples)
    nlp.to_disk(path)
    return path


def _params(path: Path) -> list[numpy.ndarray]:
    model = spacy.load(path).get_pipe("ner").model
    return [node.get_param(name).copy() for node in model.walk() for name in node.param_names
            if node.has_param(name)]


def test_soup_is_the_mean_of_every_weight(tmp_path):
    paths = [_tiny_pipeline(tmp_path / f"run{seed}", seed=seed) for seed in (0, 1, 2)]
    soup(paths, tmp_path / "soup")
    runs, mean = [_params(path) for path in paths], _params(tmp_path / "soup")
    assert len(mean) == len(runs[0]) > 0
    assert any(not numpy.allclose(a, b) for a, b in zip(runs[0], runs[1]))
    for m, *values in zip(mean, *runs):
        numpy.testing.assert_allclose(m, sum(values) / 3, rtol=1e-5, atol=1e-6)


def test_weights_weigh_each_pipeline(tmp_path):
    base = _tiny_pipeline(tmp_path / "base", seed=0)
    tuned = _tiny_pipeline(tmp_path / "tuned", seed=1)
    soup([base, tuned], tmp_path / "blend", weights=[0.75, 0.25])
    for b, t, m in zip(_params(base), _params(tuned), _params(tmp_path / "blend")):
        numpy.testing.assert_allclose(m, 0.75 * b + 0.25 * t, rtol=1e-5, atol=1e-6)
    soup([base, tuned], tmp_path / "end", weights=[0.0, 1.0])
    for t, m in zip(_params(tuned), _params(tmp_path / "end")):
        numpy.testing.assert_allclose(m, t, rtol=1e-6)


def test_pipelines_of_other_shapes_are_refused(tmp_path):
    base = _tiny_pipeline(tmp_path / "base", seed=0)
    wider = _tiny_pipeline(tmp_path / "wider", seed=1, width=16)
    with pytest.raises(SystemExit, match="wider"):
        soup([base, wider], tmp_path / "soup")
    assert not (tmp_path / "soup").exists()


@pytest.mark.parametrize("weights", [[0.5], [0.7, 0.7], [1.5, -0.5]])
def test_weights_that_are_no_mean_are_refused(tmp_path, weights):
    base = _tiny_pipeline(tmp_path / "base", seed=0)
    with pytest.raises(SystemExit, match="--weights"):
        soup([base, base], tmp_path / "soup", weights=weights)


def test_one_pipeline_is_no_soup(tmp_path):
    with pytest.raises(SystemExit, match="two pipelines or more"):
        soup([tmp_path / "only"], tmp_path / "soup")
