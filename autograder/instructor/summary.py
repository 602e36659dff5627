"""The instructor's summary of one graded assignment: ``OUTDIR/report/``.

``write_report(assignment, out)`` reads ``OUTDIR/gradebook.sqlite`` and writes

* ``OUTDIR/report/index.html`` -- self-contained (inline CSS, no scripts, nothing from the network):
  the number of students; what confined student code (a warning when the run was --unconfined);
  per graded cell ("question") and overall the mean, median and a histogram of the scores; the
  most common diagnostic messages, ranked; and a table of the submissions that timed out, ran out
  of memory, or were missing or invalid;
* ``OUTDIR/report/*.png`` -- the histograms (matplotlib, Agg), referenced by the page;
* ``OUTDIR/report/summary.json`` -- the same numbers for scripts::

    {"assignment", "students", "isolation",
     "overall": {"max_score", "mean", "median", "histogram": {"edges", "counts"}, "image"},
     "questions": [{"notebook", "grade_id", "max_score", "mean", "median", "n", "statuses",
                    "histogram": {"edges", "counts"}, "image"}, ...],
     "diagnostics": [{"message", "count", "students", "questions"}, ...],
     "problems": [{"student", "notebook", "cell", "status", "message"}, ...]}

Histograms have ``BINS`` equal bins over ``[0, max_score]`` (the last one closed), like
``numpy.histogram``. A diagnostic is the message of a part that did not pass, with its case label
(`` [case n_x=3, ...]``) removed; ``count`` is the number of such parts, ``students`` how many
students got it. Missing and invalid notebooks appear once per notebook (``cell`` is ``"all"``).
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
from collections import Counter
from pathlib import Path

from ..grader.record import Gradebook
from ..grader.report import number
from .feedback import esc, load_grades, page

__all__ = ["BINS", "normalise_message", "summarise", "write_report"]

BINS = 10
CASE_LABEL = re.compile(r"\s*\[case [^\]]*\]")
MORE = re.compile(r"\s*\(\+\d+ more\)$")
PROBLEMS = ("timeout", "memory", "missing", "invalid")
NOT_GRADED = ("missing", "invalid")
TOP = 30

REPORT_CSS = """
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
#problems td:last-child { min-width: 12rem; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
img { max-width: 100%; height: auto; display: block; margin: .4rem 0; }
ol.diagnostics li { margin: .35rem 0; overflow-wrap: anywhere; }
.count { font-weight: 600; font-variant-numeric: tabular-nums; }
section.question { border: 1px solid #d0d7de; border-radius: 8px; padding: .75rem; margin: 0 0 1rem; }
h2.section { font-size: 1.15rem; margin: 1.5rem 0 .5rem; display: block; }
p.warning { background: #fff1e5; border: 1px solid #d1242f; border-radius: 6px; padding: .5rem .75rem; }
"""


def normalise_message(message: str) -> str:
    """A message without its case label and ``(+n more)`` suffix, with whitespace collapsed."""
    return " ".join(MORE.sub("", CASE_LABEL.sub("", message)).split())


def histogram(scores: list, max_score: float) -> dict:
    """``{"edges": [...], "counts": [...]}``: BINS equal bins over [0, max_score], the last closed."""
    import numpy as np

    counts, edges = np.histogram(scores, bins=np.linspace(0.0, max_score if max_score > 0 else 1.0, BINS + 1))
    edges, counts = [round(float(e), 9) for e in edges], [int(c) for c in counts]
    return {"edges": edges, "counts": counts}


def summarise(assignment: str, out: Path) -> dict:
    """The numbers of ``summary.json`` (without image names) from ``OUTDIR/gradebook.sqlite``."""
    rows, parts = load_grades(assignment, out)
    students = sorted({r.student for r in rows})
    questions: dict = {}
    totals: dict = {s: 0.0 for s in students}
    for r in rows:
        q = questions.setdefault((r.notebook, r.grade_id), {"notebook": r.notebook, "grade_id": r.grade_id,
                                                            "max_score": r.max_score, "scores": [],
                                                            "statuses": Counter()})
        q["max_score"] = max(q["max_score"], r.max_score)
        q["scores"].append(r.score)
        q["statuses"][r.status] += 1
        totals[r.student] += r.score
    summary_questions = []
    for q in questions.values():
        scores = q.pop("scores")
        summary_questions.append({**q, "n": len(scores), "mean": statistics.fmean(scores),
                                  "median": statistics.median(scores), "statuses": dict(q["statuses"]),
                                  "histogram": histogram(scores, q["max_score"])})
    overall_max = sum(q["max_score"] for q in summary_questions)
    overall_scores = [totals[s] for s in students]
    overall = {"max_score": overall_max, "mean": statistics.fmean(overall_scores),
               "median": statistics.median(overall_scores), "histogram": histogram(overall_scores, overall_max)}

    counted: Counter = Counter()
    who: dict = {}
    where: dict = {}
    with_parts = {(p.student, p.notebook, p.grade_id) for p in parts}
    sources = [(p.student, p.grade_id, p.status, p.message) for p in parts]
    # cells graded without parts (nothing else to count) contribute their own message
    sources += [(r.student, r.grade_id, r.status, r.message) for r in rows
                if (r.student, r.notebook, r.grade_id) not in with_parts and r.status not in NOT_GRADED]
    for student, grade_id, status, message in sources:
        if status == "ok" or not message.strip():
            continue
        text = normalise_message(message)
        counted[text] += 1
        who.setdefault(text, set()).add(student)
        where.setdefault(text, {})[grade_id] = None
    diagnostics = [{"message": m, "count": c, "students": len(who[m]), "questions": list(where[m])}
                   for m, c in sorted(counted.items(), key=lambda mc: (-mc[1], -len(who[mc[0]]), mc[0]))][:TOP]

    problems, seen = [], set()
    for r in rows:
        if r.status not in PROBLEMS:
            continue
        if r.status in NOT_GRADED:
            if (r.student, r.notebook) in seen:
                continue
            seen.add((r.student, r.notebook))
            problems.append({"student": r.student, "notebook": r.notebook, "cell": "all", "status": r.status,
                             "message": r.message})
        else:
            problems.append({"student": r.student, "notebook": r.notebook, "cell": r.grade_id, "status": r.status,
                             "message": r.message})
    with Gradebook(Path(out) / "gradebook.sqlite") as book:
        isolation = book.isolation(assignment)
    return {"assignment": assignment, "students": len(students), "isolation": isolation, "overall": overall,
            "questions": summary_questions, "diagnostics": diagnostics, "problems": problems}


def _file_name(notebook: str, grade_id: str, several: bool) -> str:
    stem = f"{notebook}--{grade_id}" if several else grade_id
    return "question-" + re.sub(r"[^\w.-]", "_", stem) + ".png"


def _plot(path: Path, scores_hist: dict, title: str, mean: float, median: float) -> None:
    """A histogram PNG drawn with the Agg canvas (no GUI, no change of the global backend)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from ..figures import COLORS, use_style

    with mpl.rc_context():
        use_style()
        fig = Figure(figsize=(5.6, 2.8))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        edges, counts = scores_hist["edges"], scores_hist["counts"]
        widths = [b - a for a, b in itertools.pairwise(edges)]
        ax.bar(edges[:-1], counts, width=widths, align="edge", color=COLORS["input"], edgecolor="white")
        ax.axvline(mean, color=COLORS["loss"], linestyle="--", linewidth=1.5, label=f"mean {mean:.2f}")
        ax.axvline(median, color=COLORS["output"], linestyle=":", linewidth=1.5, label=f"median {median:.2f}")
        ax.set_xlim(edges[0], edges[-1])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("score")
        ax.set_ylabel("students")
        ax.set_title(title)
        ax.legend(loc="upper center", fontsize=9)
        fig.tight_layout()
        fig.savefig(path, format="png")


def _table(headers: list, rows: list, numeric: set, table_id: str) -> str:
    head = "".join(f'<th{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{esc(v)}</td>'
                                      for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="scroll"><table id="{table_id}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>' \
           "\n</table></div>"


def _isolation_html(isolation: str) -> str:
    """What confined student code in the run: a warning when the run was ``--unconfined``."""
    if not isolation:
        return '<p class="meta" id="isolation">Sandbox: not recorded (no student code ran in this run).</p>'
    if isolation.startswith("UNCONFINED"):
        return ('<p class="warning" id="isolation"><strong>Sandbox: UNCONFINED.</strong> This run was started with '
                "--unconfined on a host that could not confine student code: a student's code could have read the "
                f"hidden references or other students' work. {esc(isolation)}</p>")
    return f'<p class="meta" id="isolation">Sandbox: {esc(isolation)}</p>'


def write_report(assignment: str, out: Path) -> Path:
    """Write ``OUTDIR/report/index.html``, its histogram PNGs and ``OUTDIR/report/summary.json``
    for ``assignment`` from ``OUTDIR/gradebook.sqlite``; return the path of ``index.html``.
    Raises :class:`InstructorError` when the gradebook is missing or holds nothing for it."""
    out = Path(out)
    summary = summarise(assignment, out)
    folder = out / "report"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("question-*.png"):
        old.unlink()
    several = len({q["notebook"] for q in summary["questions"]}) > 1
    overall = summary["overall"]
    overall["image"] = "total.png"
    _plot(folder / "total.png", overall["histogram"], "total", overall["mean"], overall["median"])
    for q in summary["questions"]:
        q["image"] = _file_name(q["notebook"], q["grade_id"], several)
        _plot(folder / q["image"], q["histogram"], q["grade_id"], q["mean"], q["median"])

    n = summary["students"]
    body = [f"<h1>Summary: {esc(assignment)}</h1>",
            (f'<p class="meta"><span id="students">{n}</span> student{"s" if n != 1 else ""}, '
            f'{len(summary["questions"])} graded cells. Numbers also in <a href="summary.json">summary.json</a>.</p>'),
            _isolation_html(summary["isolation"]),
            '<h2 class="section">Scores</h2>',
            _table(["question", "max", "mean", "median", "statuses"],
                   [[(f'{q["notebook"]}: ' if several else "") + q["grade_id"], number(q["max_score"]),
                     f'{q["mean"]:.2f}', number(q["median"]),
                     ", ".join(f"{k} {v}" for k, v in sorted(q["statuses"].items()))] for q in summary["questions"]]
                   + [["total", number(overall["max_score"]), f'{overall["mean"]:.2f}', number(overall["median"]),
                       ""]], {1, 2, 3}, "scores"),
            (f'<img src="total.png" alt="histogram of the total scores (mean {overall["mean"]:.2f}, median '
            f'{number(overall["median"])} of {number(overall["max_score"])})">')]
    for q in summary["questions"]:
        name = (f'{q["notebook"]}: ' if several else "") + q["grade_id"]
        body.append(f'<section class="question" id="q-{esc(q["grade_id"])}"><h2>{esc(name)}</h2>'
                    f'<p class="meta">max {number(q["max_score"])}, mean {q["mean"]:.2f}, '
                    f'median {number(q["median"])}</p>'
                    f'<img src="{esc(q["image"])}" alt="histogram of the scores of {esc(name)}"></section>')
    body.append('<h2 class="section">Most common diagnostics</h2>')
    if summary["diagnostics"]:
        body.append('<ol class="diagnostics" id="diagnostics">' + "\n".join(
            f'<li><span class="count">{d["count"]}&times;</span> ({d["students"]} student'
            f'{"s" if d["students"] != 1 else ""}; {esc(", ".join(d["questions"]))}): '
            f'<span class="message">{esc(d["message"])}</span></li>' for d in summary["diagnostics"]) + "</ol>")
    else:
        body.append('<p id="diagnostics">No failing checks.</p>')
    body.append('<h2 class="section">Timeouts, memory, missing and invalid submissions</h2>')
    if summary["problems"]:
        body.append(_table(["student", "cell", "status", "message"],
                           [[p["student"], (f'{p["notebook"]}: ' if several else "") + p["cell"], p["status"],
                             p["message"]] for p in summary["problems"]], set(), "problems"))
    else:
        body.append('<p id="problems">None.</p>')
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    index = folder / "index.html"
    html_text = page(f"{assignment}: class summary", "\n".join(body))
    index.write_text(html_text.replace("</style>", REPORT_CSS + "</style>", 1), encoding="utf-8")
    return index
