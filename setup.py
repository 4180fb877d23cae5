"""Everything else is in pyproject.toml; this only adds the contract to the wheel.

The repository keeps ``openapi.yaml``, ``spec/`` and ``fixtures/`` at its root, outside the
``alertmock`` package. ``build_py`` copies them into ``alertmock/bundled/`` of the build, where
``alertmock.app.bundle`` finds them in an installed wheel (see ARCHITECTURE.md, "Packaging").
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("openapi.yaml", "spec", "fixtures")


class BuildPyWithContract(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install reads the checkout's own files (alertmock/app/bundle.py).
            return
        target = Path(self.build_lib, "alertmock", "bundled")
        shutil.rmtree(target, ignore_errors=True)
        for name in BUNDLED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildPyWithContract})
