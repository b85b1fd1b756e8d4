"""The examples in the rule components', the NER decoder's, the reader's, the extractor's and the scorer's docstrings are true."""
import doctest

import pytest

import kg.extract
import kg.pipeline.components
import kg.pipeline.ner
import kg.read
import kg.pipeline.scoring


@pytest.mark.parametrize("module", [kg.pipeline.components, kg.pipeline.ner, kg.pipeline.scoring, kg.extract, kg.read])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
