"""Fail when an import breaks the house rules in ARCHITECTURE.md.

1. A leading underscore is private to its module: no module imports another
   project module's _underscore name (a helper others need is made public).
2. Imports point down the floors: conduct < incidents < sanctions < reports, privacy;
   inside sanctions, responses < letters < bans < complaints. The top of the house is exempt:
   conduct's home page, its row tag and URLs (conduct.views, conduct.templatetags.work_items,
   conduct.urls), management commands,
   the generated data (conduct.generated), apps.py registration, tests and bench.
"""

import ast
import pathlib
import sys

PROJECT_PACKAGES = {"conduct", "incidents", "sanctions", "reports", "privacy", "bench", "tests"}
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "staticfiles"}
FLOORS = {"conduct": 0, "incidents": 1, "sanctions": 2, "reports": 3, "privacy": 3}
CAPABILITIES = {"responses": 1, "letters": 2, "bans": 3, "complaints": 4}
TOP_OF_HOUSE = ("conduct.views", "conduct.templatetags.work_items", "conduct.urls", "conduct.generated", "bench",
                "tests")


def module_name(relative):
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def exempt(source):
    parts = source.split(".")
    return (source.startswith(TOP_OF_HOUSE) or "management" in parts or parts[-1] == "apps")


def floor(module):
    parts = module.split(".")
    capability = CAPABILITIES.get(parts[1], 0) if parts[0] == "sanctions" and len(parts) > 1 else 0
    return FLOORS.get(parts[0], -1), capability


def imported(node):
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [(node.module, alias.name) for alias in node.names]
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names]
    return []


def problems(path, shown_as, source):
    tree = ast.parse(path.read_text(), filename=str(shown_as))
    for node in ast.walk(tree):
        for target, name in imported(node):
            if target.split(".")[0] not in PROJECT_PACKAGES:
                continue
            if name and name.startswith("_") and not name.startswith("__"):
                yield f"{shown_as}:{node.lineno}: imports {target}.{name}, private to its module"
            if exempt(source) or target.split(".")[0] not in FLOORS:
                continue
            (house, wing), (target_house, target_wing) = floor(source), floor(target)
            same_app = source.split(".")[0] == target.split(".")[0]
            beside = not same_app and target_house == house  # reports and privacy do not lean on each other
            if target_house > house or beside or (same_app and wing and target_wing > wing):
                yield f"{shown_as}:{node.lineno}: {source} imports {target}, a floor above it or beside it"


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRS & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        found.extend(problems(path, relative, module_name(relative)))
    for line in found:
        print(line)
    if found:
        print("See ARCHITECTURE.md: private names stay in their module; imports point down.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
