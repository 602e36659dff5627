"""The built book: every page in the table of contents, and no hidden reference or test inside."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import yaml

from autograder import reference

ROOT = Path(__file__).resolve().parents[2]


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part["chapters"]]
    return files


# chapter -> the exercises its "Exercise" section offers (chapter 4 offers two; exercise 5 comes at the
# end of its second page, 05b)
CHAPTER_EXERCISES = {
    "01-language-models": ("01-language-models",), "02-notation": ("02-notation",),
    "03-rnn-forward": ("03-rnn-forward",), "04-backpropagation-through-time": ("04a-loss-and-cell", "04b-bptt"),
    "05b-encoder-decoder": ("05-rnn-types",), "06-sampling": ("06-sampling",),
    "07-vanishing-exploding-gradients": ("07-gradients",), "08-gru": ("08-gru",), "09-lstm": ("09-lstm",),
    "10-bidirectional-rnns": ("10-birnn",), "11-deep-rnns": ("11-deep-rnns",),
}


def test_every_chapter_links_its_exercise_for_download(built_book):
    """Chapters 1-11 offer their exercise notebooks (and their files), byte for byte the released ones."""
    offered = [(chapter, a) for chapter, assignments in CHAPTER_EXERCISES.items() for a in assignments]
    assert {a for _, a in offered} == {p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()}
    for chapter, assignment in offered:
        html = (built_book / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        for released in sorted((ROOT / "exercises" / assignment).iterdir()):
            links = re.findall(rf'href="(\.\./_downloads/[0-9a-f]+/{re.escape(released.name)})"', html)
            assert links, f"{chapter} does not offer {released.name} for download"
            built = (built_book / "chapters" / links[0]).resolve()
            assert built.read_bytes() == released.read_bytes(), f"{chapter}: the download differs from {released}"


def test_every_toc_page_is_built(built_book):
    for name in toc_files():
        assert (built_book / f"{name}.html").is_file(), f"{name} is in _toc.yml but was not built"


def reference_code_lines() -> set[str]:
    """Distinctive code lines of every reference module (not docstrings, comments or short lines)."""
    lines = set()
    for module in {inspect.getmodule(getattr(reference, name)) for name in reference.__all__}:
        if module is None or not module.__name__.startswith("autograder.reference"):
            continue
        source = inspect.getsource(module)
        docstring_lines = set()
        for node in ast.walk(ast.parse(source)):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                    and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                docstring_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
        for number, line in enumerate(source.splitlines(), start=1):
            code = line.split("  #")[0].strip()
            if number in docstring_lines or code.startswith(("#", "def ", "from ", "import ", "class ")):
                continue
            if len(code) >= 30 and re.search(r"[=(\[]", code):
                lines.add(code)
    return lines


def test_reference_code_lines_are_found():
    lines = reference_code_lines()
    assert len(lines) > 100  # the check below is only as good as this list
    assert any("np.tanh(U @ x_t + W @ h_prev + b)" in line for line in lines)


def test_book_reveals_no_reference_source_and_no_hidden_test(built_book):
    lines = reference_code_lines()
    leaks = []
    for path in built_book.rglob("*"):
        if path.suffix not in {".html", ".ipynb", ".md", ".txt", ".js"} or "_static" in path.parts:
            continue
        text = path.read_text(errors="replace")
        text = re.sub(r"<[^>]+>", "", text).replace("&quot;", '"').replace("&#39;", "'").replace("&gt;", ">")
        text = text.replace("&lt;", "<").replace("&amp;", "&")
        leaks += [f"{path.relative_to(built_book)}: {line}" for line in lines if line in text]
        for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION"):
            # the instructor guide documents the markers' format (with a public example), nothing hidden
            if marker in text and "instructor-guide" not in path.name:
                leaks.append(f"{path.relative_to(built_book)}: {marker}")
        if path.suffix == ".html" and "autograder.reference" in text:
            leaks.append(f"{path.relative_to(built_book)}: shows an import of autograder.reference")
    assert not leaks, "the built book reveals hidden material:\n" + "\n".join(leaks[:40])
