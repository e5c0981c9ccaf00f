"""Fail when one module imports another project module's private (_underscore) name.

A leading underscore means private to its module (ARCHITECTURE.md); a helper
that another module needs is made public under a name that explains it.
"""

import ast
import pathlib
import sys

PROJECT_PACKAGES = {"conduct", "incidents", "sanctions", "reports", "privacy", "bench", "tests"}
SKIPPED_DIRS = {".venv", "node_modules", "migrations", "staticfiles"}


def private_imports(path, shown_as):
    tree = ast.parse(path.read_text(), filename=str(shown_as))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if node.module.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                yield f"{shown_as}:{node.lineno}: imports {node.module}.{alias.name}"


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRS & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        found.extend(private_imports(path, relative))
    for line in found:
        print(line)
    if found:
        print("Private names are private to their module: make the helper public.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
