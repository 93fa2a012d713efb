"""The layers of bot/ as each package's __init__ states them: a package imports only those below it,
and bot/ keeps its capabilities in folders."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, Set

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

#: What each package of bot/ may import (besides itself): the lowest floor first.
MAY_IMPORT: Dict[str, Set[str]] = {
    "core": set(),
    "profile": {"core"},
    "text": {"core", "profile"},
    "shipping": {"core", "profile"},
    "orders": {"core", "profile", "text", "shipping"},
    "returns": {"core", "profile", "text", "shipping", "orders"},
    "alerts": {"core", "profile"},
    "claims": {"core", "profile", "text", "orders", "returns", "alerts"},
    "handoff": {"core", "profile", "orders", "privacy", "alerts"},
    "shopdata": {"core", "profile", "shipping", "orders"},
    "desk": {"core", "profile", "handoff", "privacy", "reports", "alerts"},
    "storefront": {"core", "profile", "orders", "shopdata"},
    "privacy": {"core", "orders"},
    "reports": {"core", "profile", "alerts"},
}


def stated_imports(name: str) -> Set[str]:
    """The packages that bot/<name>/__init__.py says, after "May import", it may import."""
    doc = " ".join((ast.get_docstring(ast.parse((BOT / name / "__init__.py").read_text(encoding="utf-8"))) or "").split())
    if "May import" not in doc:
        return set()
    return set(re.findall(r"`bot\.(\w+)`", doc[doc.index("May import"):]))


def imported_packages(package: Path) -> Set[str]:
    """The other bot/ packages that the modules of `package` import (`from bot.x... import`)."""
    found = set()
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
                found.add(node.module.split(".")[1])
            elif isinstance(node, ast.ImportFrom) and node.module == "bot":
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("bot."))
    return found - {package.name}


@pytest.mark.parametrize("name", sorted(MAY_IMPORT))
def test_each_package_imports_only_the_layers_below_it(name):
    assert imported_packages(BOT / name) <= MAY_IMPORT[name]


def test_every_package_is_listed_and_its_docstring_states_the_same_layers():
    packages = {p.name for p in BOT.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(MAY_IMPORT)
    for name in packages:
        assert stated_imports(name) == MAY_IMPORT[name], f"bot/{name}/__init__.py"


def test_bot_keeps_only_its_entry_points_at_the_top():
    assert sorted(p.name for p in BOT.glob("*.py")) == ["__init__.py", "__main__.py"]
