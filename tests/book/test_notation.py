"""Issue 11, second printing: one meaning per symbol, no internal names in the prose, concept checks.

These read the sources (chapter and exercise notebooks, the glossary), not the built book, so they
run in seconds and name the file and the cell of every finding.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

import autograder.data
import autograder.figures
from autograder import reference
from autograder.checks import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
GLOSSARY = ROOT / "glossary.md"
PAGES = [GLOSSARY, ROOT / "index.md", ROOT / "README.md", *sorted((ROOT / "guides").glob("*.md"))]


def markdown_cells(path: Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


def prose_sources() -> list[tuple[str, str]]:
    """(where, text) for every markdown cell of the book and the exercises, the glossary, the index,
    the guides and the README."""
    out = [(f"{p.relative_to(ROOT)} cell {i}", text) for p in CHAPTERS + SOLUTIONS for i, text in markdown_cells(p)]
    return out + [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in PAGES]


def math_of(text: str) -> str:
    """The LaTeX of a markdown text: its $...$ and $$...$$ spans, joined."""
    return " ".join(re.findall(r"\$\$.+?\$\$|\$[^$\n]+\$", text, flags=re.S))


# Retired notation: each pattern (searched in the math of every page) with what the book writes now.
RETIRED = {
    r"V\s*h[^$]{0,40}?\+\s*c(?![_a-zA-Z])": "the output bias is b_y (V h + b_y); c is only the LSTM cell state",
    r"(?<![A-Za-z\\])d\s?c(?![_a-zA-Z\\])[^$]{0,3}=\s*\\sum": "the output bias's gradient is db_y",
    r"[UWb]_z\b|[UWb]_\{z\}": "the GRU update gate is u (U_u, W_u, b_u); z is only the logits",
    r"[hUWbV]_\{?[fb]\}?\^\{?\\langle": "the directions of a bidirectional layer are arrows, not subscripts f and b",
    r"\\lVert\s*g\s*\\rVert": "all gradients stacked are d\\theta (g is only the LSTM candidate)",
    r"\[-c,\s*c\]": "the clipping threshold is \\kappa",
    r"\\delta\s*(c|a|h)\b|\\delta\s*(c|a|h)_": "a gradient is dX, never \\delta X",
    r"\\lvert\s*V\s*\\rvert|\|V\||V\s*\\cup": "the vocabulary is \\mathcal{V}; V is the output weight matrix",
}


def test_retired_notation_is_gone():
    """One meaning per symbol: no page, exercise or glossary row uses a retired meaning."""
    found = []
    for where, text in prose_sources():
        math = math_of(text)
        for pattern, rule in RETIRED.items():
            for m in re.finditer(pattern, math):
                found.append(f"{where}: {m.group(0)!r} ({rule})")
    assert not found, "retired notation:\n" + "\n".join(found)


def test_mask_counts_real_positions_from_one():
    """The mask is 1 at t <= T_x^{(i)} (t counts from 1), never 't < T_x'."""
    bad = [where for where, text in prose_sources()
           if re.search(r"t\s*<\s*T_x\^\{?\(i\)", text) and "indices (from 0)" not in text]  # 0-based code indices
    assert not bad, f"the real positions are t <= T_x^(i): {bad}"
    assert re.search(r"mask.*t \\le T_x\^\{\(i\)\}", GLOSSARY.read_text(encoding="utf-8"))


def glossary_notation_rows() -> list[str]:
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## Notation", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| $")]


def test_glossary_has_a_notation_table_whose_symbols_the_pages_use():
    """The notation table lists every symbol with one meaning; each listed symbol appears in the
    book's math, so the table describes the pages and not an intention."""
    rows = glossary_notation_rows()
    assert len(rows) >= 30, "the glossary's notation table is missing or short"
    book_math = " ".join(math_of(text) for p in CHAPTERS for _, text in markdown_cells(p))
    compact = re.sub(r"\s+", "", book_math)
    missing = []
    for row in rows:
        cell = row.split(" | ")[0]
        for symbol in re.findall(r"\$(.+?)\$", cell):
            for piece in re.split(r",\s*|;\s*", symbol):
                piece = re.sub(r"\s+", "", piece)
                if piece and piece not in ("\\dots",) and piece not in compact:
                    missing.append(piece)
    assert not missing, f"notation-table symbols no chapter uses (in this exact form): {missing}"


def internal_names() -> set[str]:
    """Names of the course package a chapter must not name in its prose: everything public in
    ``autograder.reference``, ``autograder.data`` and ``autograder.figures`` and the training
    history's attributes, except the graded functions a student writes in the exercises."""
    graded = set(REGISTRY)
    names = set(reference.__all__) | set(getattr(autograder.data, "__all__", [])) | {
        n for n in dir(autograder.figures) if not n.startswith("_")}
    history = importlib.import_module("autograder.reference.train").History
    names |= {f"History.{n}" for n in dir(history) if not n.startswith("_")}
    return {n for n in names if n not in graded and len(n) > 3}


def names_defined_in(path: Path) -> set[str]:
    """Functions and variables the chapter's own code cells define or import (visible to the reader)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    defined = set()
    for cell in cells:
        if cell["cell_type"] != "code" or "remove-input" in cell.get("metadata", {}).get("tags", []) \
                or "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse("".join(line for line in "".join(cell["source"]).splitlines(True)
                                     if not line.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.alias):
                defined.add(node.asname or node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
    return defined


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_internal_api_names_in_prose(chapter):
    """Prose names what the reader can see (their own exercise functions, the chapter's visible
    code, NumPy and PyTorch), never a hidden helper of the course package."""
    hidden = internal_names() - names_defined_in(chapter)
    found = []
    for i, text in markdown_cells(chapter):
        for code in re.findall(r"`([^`\n]+)`", text):
            for name in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", code):
                if name in hidden:  # dotted names (History.grad_norm) are listed whole
                    found.append(f"cell {i}: `{code}`")
    assert not found, f"{chapter.name} names internal course code in its prose: {found}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_concept_checks(chapter):
    """Two or more questions with an answer the reader reveals (a dropdown admonition titled 'Check:')."""
    checks = []
    for i, text in markdown_cells(chapter):
        for m in re.finditer(r":::\{admonition\} Check: (.+)\n:class: dropdown\n\n(.+?)\n:::", text, flags=re.S):
            question, answer = m.group(1), m.group(2)
            assert question.rstrip().endswith("?"), f"{chapter.name} cell {i}: a check's title is a question"
            assert len(answer.split()) >= 25, f"{chapter.name} cell {i}: the answer explains why ({question!r})"
            checks.append(question)
    assert len(checks) >= 2, f"{chapter.name} has {len(checks)} concept checks; every chapter has at least 2"
