"""Feedback pages: one self-contained HTML page per student and notebook, from the gradebook.

``write_feedback(assignment, out)`` reads ``OUTDIR/gradebook.sqlite`` (written by
``python -m autograder grade``) and writes ``OUTDIR/feedback/<student>/<ASSIGNMENT>/<notebook>.html``
plus ``OUTDIR/feedback/<student>/<ASSIGNMENT>/index.html``. A page shows the total, then every graded
cell in notebook order with its score, status and parts (score, status, the grader's message), and
a link to the chapter's "Exercise" section in the book. It shows only what the gradebook stores --
never hidden inputs or expected values (the grader's messages do not contain them) -- escapes all
text, loads nothing from the network (inline CSS, no scripts, fonts or images) and reads well on a
phone (390 px wide).

Links to the book go to ``{book_url}/chapters/<chapter>.html#exercise``. ``book_url`` is, in order:
the argument, the environment variable ``AUTOGRADER_BOOK_URL`` (e.g. the URL where the course's
book is published), else the ``file://`` URL of ``_build/html`` of the course repository this
package lives in (build it with ``jupyter-book build .``).
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..checks.spec import NOT_ATTEMPTED_MESSAGE as NOT_ATTEMPTED
from ..grader.load import InstructorError, load_assignment
from ..grader.record import Gradebook, Part, Row
from ..grader.report import number

__all__ = ["CHAPTERS", "book_link", "default_book_url", "load_grades", "write_feedback"]

ROOT = Path(__file__).resolve().parents[2]
# assignment -> the book page (chapters/<page>.html) whose "Exercise" section introduces it
CHAPTERS = {
    "01-language-models": "01-language-models",
    "02-notation": "02-notation",
    "03-rnn-forward": "03-rnn-forward",
    "04a-loss-and-cell": "04-backpropagation-through-time",
    "04b-bptt": "04-backpropagation-through-time",
    "05-rnn-types": "05b-encoder-decoder",  # the exercise closes the second page of chapter 5
    "06-sampling": "06-sampling",
    "07-gradients": "07-vanishing-exploding-gradients",
    "08-gru": "08-gru",
    "09-lstm": "09-lstm",
    "10-birnn": "10-bidirectional-rnns",
    "11-deep-rnns": "11-deep-rnns",
}
# The id Sphinx gives the "## Exercise" heading of every chapter (checked in the built book).
EXERCISE_ANCHOR = "exercise"
ALL_PASSED = "all checks passed"
NOT_GRADED = ("missing", "invalid")
STATUS_MEANING = {
    "ok": "correct",
    "wrong": "runs, but gives a wrong result",
    "error": "raised an error or could not be called",
    "timeout": "was stopped: it ran longer than the time limit (an endless loop?)",
    "memory": "was stopped: it used more memory than allowed",
    "missing": "no notebook was handed in",
    "invalid": "the notebook could not be read",
}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 46rem; padding: 1rem; font: 16px/1.5 system-ui, -apple-system, "Segoe UI",
       Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.35rem; margin: .2rem 0 .6rem; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 0; display: flex; flex-wrap: wrap; gap: .3rem .6rem; align-items: baseline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .95em;
       overflow-wrap: anywhere; }
.meta { color: #57606a; margin: 0 0 .3rem; overflow-wrap: anywhere; }
.total { font-size: 1.2rem; font-weight: 600; margin: .4rem 0 1rem; }
.cell { border: 1px solid #d0d7de; border-radius: 8px; padding: .75rem; margin: 0 0 1rem; }
.cell-score { margin-left: auto; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; border-radius: 1rem; padding: 0 .55rem; font-size: .8rem; font-weight: 600;
         white-space: nowrap; background: #eaeef2; color: #24292f; }
.s-ok { background: #dafbe1; color: #116329; }
.s-wrong { background: #fff8c5; color: #6f4e00; }
.s-error, .s-timeout, .s-memory, .s-missing, .s-invalid { background: #ffebe9; color: #a40e26; }
.meaning { color: #57606a; font-size: .9rem; margin: .2rem 0 0; }
.summary, .message { overflow-wrap: anywhere; white-space: pre-wrap; margin: .25rem 0 0; }
.summary { color: #57606a; font-size: .92rem; }
ul.parts { list-style: none; padding: 0; margin: .5rem 0 0; }
li.part { border-top: 1px solid #eaeef2; padding: .45rem 0; }
.part-head { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; }
.part-name { font-weight: 600; overflow-wrap: anywhere; }
.part-score { margin-left: auto; font-variant-numeric: tabular-nums; white-space: nowrap; }
.hint { background: #f6f8fa; border-radius: 6px; padding: .5rem .65rem; margin: .6rem 0 0; font-size: .95rem; }
.notice { border-left: 4px solid #cf222e; background: #ffebe9; padding: .6rem .75rem; margin: 0 0 1rem;
          overflow-wrap: anywhere; }
a { color: #0969da; }
ul.notebooks { padding-left: 1.2rem; }
footer { color: #57606a; font-size: .85rem; margin-top: 1.5rem; }
"""


@dataclass
class Cell:
    """One graded cell of one student's notebook, with its parts."""
    row: Row
    parts: list


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def default_book_url() -> str:
    """``AUTOGRADER_BOOK_URL``, else ``file://`` of the course repository's ``_build/html``."""
    env = os.environ.get("AUTOGRADER_BOOK_URL", "").strip()
    if env:
        return env.rstrip("/")
    import autograder

    return (Path(autograder.__file__).resolve().parents[1] / "_build" / "html").as_uri()


def book_link(assignment: str, book_url: str | None = None) -> str:
    """``{book_url}/chapters/<chapter>.html#exercise`` (the book's index for an unknown assignment)."""
    base = (book_url or default_book_url()).rstrip("/")
    page = CHAPTERS.get(assignment)
    return f"{base}/chapters/{page}.html#{EXERCISE_ANCHOR}" if page else f"{base}/index.html"


def chapter_title(assignment: str) -> str:
    """The chapter's title from its notebook's first ``# `` heading (else the page's name)."""
    page = CHAPTERS.get(assignment)
    if not page:
        return "the book"
    try:
        nb = json.loads((ROOT / "chapters" / f"{page}.ipynb").read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                for line in "".join(cell.get("source", [])).splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
    except (OSError, ValueError, AttributeError):
        pass
    return page


def functions_of(assignment: str, solutions: Path | None) -> dict:
    """``{(notebook, grade_id): function name}`` from the source notebook ({} if it cannot be read)."""
    from ..grader import default_solutions

    try:
        source = load_assignment(Path(solutions) if solutions else default_solutions(), assignment)
    except (InstructorError, OSError):
        return {}
    return {(nb.name, c.grade_id): c.function for nb in source.notebooks for c in nb.graded}


def load_grades(assignment: str, out: Path) -> tuple[list[Row], list[Part]]:
    """The assignment's rows and parts from ``OUTDIR/gradebook.sqlite``; :class:`InstructorError`
    when there is no gradebook or it holds nothing for the assignment."""
    path = Path(out) / "gradebook.sqlite"
    if not path.is_file():
        raise InstructorError(f"no gradebook at {path}: run `python -m autograder grade {assignment} "
                              f"--submitted DIR --out {out}` first")
    with Gradebook(path) as book:
        rows, parts = book.rows(assignment), book.parts(assignment)
    if not rows:
        raise InstructorError(f"the gradebook {path} holds no grades for assignment {assignment!r}")
    return rows, parts


def by_notebook(rows: list[Row], parts: list[Part]) -> dict:
    """``{(student, notebook): [Cell, ...]}`` in notebook order."""
    grouped_parts: dict = {}
    for p in parts:
        grouped_parts.setdefault((p.student, p.notebook, p.grade_id), []).append(p)
    out: dict = {}
    for r in rows:
        out.setdefault((r.student, r.notebook), []).append(Cell(r, grouped_parts.get((r.student, r.notebook,
                                                                                       r.grade_id), [])))
    return out


def safe_component(name: str) -> str:
    """A file name from a student's or notebook's name (never a path or ``..``)."""
    name = re.sub(r"[/\\\x00]", "_", name)
    return "_" + name if name in ("", ".", "..") or name.startswith(".") else name


def badge(status: str) -> str:
    return f'<span class="badge status s-{esc(status)}">{esc(status)}</span>'


def page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def notebook_page(student: str, assignment: str, notebook: str, cells: list, functions: dict, link: str,
                  chapter: str) -> str:
    total = sum(c.row.score for c in cells)
    possible = sum(c.row.max_score for c in cells)
    statuses = {c.row.status for c in cells}
    body = [f"<header>\n<h1>Feedback: {esc(assignment)}</h1>",
            (f'<p class="meta">Student: <span class="student">{esc(student)}</span> &middot; '
            f'notebook <span class="notebook">{esc(notebook)}.ipynb</span></p>'),
            (f'<p class="total">Total: <span class="score">{number(total)}</span> / '
            f'<span class="max">{number(possible)}</span> points</p>\n</header>')]
    if statuses & set(NOT_GRADED):
        message = next(c.row.message for c in cells if c.row.status in NOT_GRADED)
        what = "was not handed in" if "missing" in statuses else "could not be read, so it was not graded"
        body.append(f'<div class="notice" role="alert"><strong>Your notebook {what}.</strong>'
                    f'<p class="message">{esc(message)}</p></div>')
    body.append("<main>")
    for cell in cells:
        r = cell.row
        function = functions.get((notebook, r.grade_id), r.grade_id)
        body.append(f'<section class="cell" id="cell-{esc(r.grade_id)}" data-grade-id="{esc(r.grade_id)}">')
        body.append(f'<h2><code class="cell-name">{esc(function)}</code> {badge(r.status)} '
                    f'<span class="cell-score"><span class="score">{number(r.score)}</span> / '
                    f'<span class="max">{number(r.max_score)}</span></span></h2>')
        not_attempted = r.message.startswith(NOT_ATTEMPTED)
        if not_attempted:  # one line, not the same NotImplementedError under every part
            body.append('<p class="meaning not-attempted">Not attempted yet: the function still raises '
                        "NotImplementedError, its placeholder. Write it in place of "
                        "<code>raise NotImplementedError()</code>.</p>")
        else:
            body.append(f'<p class="meaning">{esc(STATUS_MEANING.get(r.status, r.status))}</p>')
        if r.message and r.message != ALL_PASSED and r.status not in NOT_GRADED and not not_attempted:
            body.append(f'<p class="summary">In short: {esc(r.message)}</p>')
        if cell.parts and not not_attempted:
            body.append('<ul class="parts">')
            for p in cell.parts:
                body.append(f'<li class="part" data-status="{esc(p.status)}">'
                            f'<div class="part-head"><span class="part-name">{esc(p.part)}</span> {badge(p.status)} '
                            f'<span class="part-score"><span class="score">{number(p.score)}</span> / '
                            f'<span class="max">{number(p.max_score)}</span></span></div>'
                            + (f'<p class="message">{esc(p.message)}</p>' if p.message else "") + "</li>")
            body.append("</ul>")
        lead = "Read more" if r.status == "ok" else "Hint"
        body.append(f'<p class="hint">{lead}: the <a href="{esc(link)}">Exercise section of &ldquo;{esc(chapter)}'
                    f'&rdquo;</a> describes what <code>{esc(function)}</code> must compute.</p>')
        body.append("</section>")
    body.append("</main>")
    body.append('<footer>Scores and messages come from the course\'s autograder. Each message names the first '
                "failing test case; fix it and run the notebook's visible tests again.</footer>")
    return page(f"{assignment} feedback for {student}", "\n".join(body))


def student_index(student: str, assignment: str, entries: list) -> str:
    items = "\n".join(f'<li><a href="{esc(quote(name))}.html">{esc(notebook)}.ipynb</a>: '
                      f'<span class="score">{number(score)}</span> / <span class="max">{number(possible)}</span></li>'
                      for notebook, name, score, possible in entries)
    body = (f"<h1>Feedback: {esc(assignment)}</h1>\n<p class=\"meta\">Student: {esc(student)}</p>\n"
            f'<ul class="notebooks">\n{items}\n</ul>')
    return page(f"{assignment} feedback for {student}", body)


def write_feedback(assignment: str, out: Path, solutions: Path | None = None,
                   book_url: str | None = None) -> list[Path]:
    """Write ``OUTDIR/feedback/<student>/<assignment>/<notebook>.html`` for every student and
    notebook of ``assignment`` in ``OUTDIR/gradebook.sqlite``, and an ``index.html`` beside them.

    ``solutions`` (default: the course's ``solutions/``) gives the function name of each graded
    cell; ``book_url`` the book the hints link to (default :func:`default_book_url`). Returns the
    notebook pages written (not the index pages). Raises :class:`InstructorError` when the
    gradebook is missing or holds nothing for the assignment.
    """
    out = Path(out)
    rows, parts = load_grades(assignment, out)
    functions = functions_of(assignment, solutions)
    link = book_link(assignment, book_url)
    chapter = chapter_title(assignment)
    written: list[Path] = []
    indexes: dict = {}
    for (student, notebook), cells in by_notebook(rows, parts).items():
        folder = out / "feedback" / safe_component(student) / safe_component(assignment)
        folder.mkdir(parents=True, exist_ok=True)
        name = safe_component(notebook)
        path = folder / f"{name}.html"
        path.write_text(notebook_page(student, assignment, notebook, cells, functions, link, chapter),
                        encoding="utf-8")
        written.append(path)
        indexes.setdefault((student, folder), []).append(
            (notebook, name, sum(c.row.score for c in cells), sum(c.row.max_score for c in cells)))
    for (student, folder), entries in indexes.items():
        (folder / "index.html").write_text(student_index(student, assignment, entries), encoding="utf-8")
    return written
