import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# The shared corpora live beside the checkout; tests that need them skip, saying so, elsewhere.
SHARED_DATA = Path(os.environ.get("KG_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def nlp():
    import kg

    return kg.load_pipeline()


@pytest.fixture(scope="session")
def seed_graph():
    import kg

    return kg.build([SEEDS])
