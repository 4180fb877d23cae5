"""Where the default contract and fixtures live: in the installed package, or in a checkout.

The repository keeps ``openapi.yaml``, ``spec/`` and ``fixtures/`` at its root (they are the
project, not the engine's data). A wheel carries copies of them as package data under
``alertmock/bundled/`` (``setup.py`` puts them there), so ``alertmock serve`` works from any
working directory. From a checkout (an editable install, or the repository on ``sys.path``) there
is no such folder and the root is used, so editing the contract takes effect without a rebuild.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLE_DIR = "bundled"


def bundle_root() -> Path:
    """The folder holding ``openapi.yaml``, ``spec/`` and ``fixtures/``."""
    packaged = resources.files("alertmock") / BUNDLE_DIR
    if packaged.is_dir():
        # A wheel is always installed unpacked, so the package's resources are real files, which
        # Connexion, Schemathesis and the $ref resolution into spec/ need.
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2]
