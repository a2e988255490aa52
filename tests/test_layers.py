"""The import contract (pyproject.toml, checked by `lint-imports` in `make lint` and CI)
covers every package of the project, so a new app cannot slip out of the layers."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _packages() -> set[str]:
    return {
        path.name
        for path in ROOT.iterdir()
        if (path / "__init__.py").exists() and path.name not in ("tests", "bench")
    }


def test_every_package_is_a_root_package_of_the_contract():
    assert set(_contract()["root_packages"]) == _packages()


def test_every_package_has_a_layer():
    (layers,) = [c["layers"] for c in _contract()["contracts"] if c["type"] == "layers"]
    layered = {name.strip() for layer in layers for name in layer.split("|")}
    assert layered == _packages()
