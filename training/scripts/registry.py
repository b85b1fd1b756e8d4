"""Imported by `spacy train --code` so the config can name kg's architectures and components."""
import kg.pipeline  # noqa: F401  (registers kg's layers and factories)
