"""notebooks/explore.ipynb runs top to bottom and shows what it promises."""
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conftest import ROOT


def test_explore_notebook_runs(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = "\n".join(
        out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )
    assert "KnowledgeGraph: " in outputs
    assert "董事长郑建国" in outputs            # the evidence sentence of a relation
    assert "closest:" in outputs                 # the helpful error for a misspelt name
    assert "text/html" in str([o.get("data", {}).keys() for c in nb.cells for o in c.get("outputs", [])])
    assert Path(ROOT / "output/notebook/graph.graphml").exists()
