"""Feedback pages and the instructor's summary, from a small generated class of assignment 3.

The class: a correct notebook, one missing the bias in ``rnn_cell_forward``, the released blank
notebook, a file that is not JSON, an endless loop in ``softmax`` (graded with ``--timeout 2``) and
a student folder with no notebook (its name needs escaping). The pages and report are parsed and
checked against ``grades.csv`` and the gradebook.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from autograder.grader.load import InstructorError
from autograder.grader.record import Gradebook
from autograder.instructor.feedback import CHAPTERS, EXERCISE_ANCHOR, write_feedback
from autograder.instructor.summary import write_report

from .conftest import ASSIGNMENT, ROOT, answer_of, grade_cli, notebook, put, read_grades

BOOK = "https://book.example.org/rnn"
ODD = "o'<i>x&y\""  # a student folder name with HTML special characters (and no notebook)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
VOID = {"meta", "br", "img", "hr", "input", "link", "area", "base", "col", "source", "wbr"}


# ------------------------------------------------------------------ a tiny HTML tree for queries

class Node:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and (cls is None or cls in c.classes):
                    found.append(c)
                found += c.all(tag, cls)
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"expected one <{tag} class={cls}>, found {len(found)}"
        return found[0]

    def by_id(self, ident: str) -> Node:
        return next(n for n in self.all() if n.attrs.get("id") == ident)


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        assert node.tag == tag, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(path: Path) -> Node:
    tree = Tree()
    tree.feed(path.read_text(encoding="utf-8"))
    tree.close()
    assert tree.current is tree.root, f"{path}: unclosed elements"
    return tree.root


def num(text: str) -> float:
    return float(text.strip())


def assert_self_contained(doc: Node, book: str | None = None) -> None:
    """Nothing loads from elsewhere; links are relative, file:// or into the book."""
    assert doc.all("script") == [] and doc.all("link") == [] and doc.all("iframe") == []
    viewport = [m for m in doc.all("meta") if m.attrs.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0].attrs["content"]
    for node in doc.all():
        for attr in ("src", "href", "srcset", "poster", "data"):
            value = node.attrs.get(attr)
            if value is None or node.tag == "a" and attr == "href":
                continue
            assert not re.match(r"^\s*(https?:|//)", value), f"external <{node.tag} {attr}={value}>"
    for a in doc.all("a"):
        href = a.attrs["href"]
        relative = not re.match(r"^[a-zA-Z][\w+.-]*:|//", href)
        assert relative or href.startswith("file://") or (book and href.startswith(book + "/")), href
    for style in doc.all("style"):
        assert "@import" not in style.text() and "url(" not in style.text()


# ------------------------------------------------------------------ the graded class

@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("feedback")
    submitted = base / "submitted"
    submitted.mkdir()
    put(submitted, "alice", notebook())
    put(submitted, "bob", notebook(rnn_cell_forward=answer_of("rnn_cell_forward").replace(" + b)", ")")))
    put(submitted, "carol", json.loads((ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text("utf-8")))
    put(submitted, "dave", "{this is not json")
    put(submitted, "erin", notebook(softmax="def softmax(z):\n    while True:\n        pass\n"))
    (submitted / ODD).mkdir()
    out = base / "out"
    result = grade_cli(submitted, out, "--timeout", "2", timeout=180)
    assert result.returncode == 0, result.stderr
    grades = read_grades(out)
    assert grades["bob", "rnn_cell_forward"]["status"] == "wrong"
    assert grades["erin", "softmax"]["status"] == "timeout"
    assert grades["dave", "softmax"]["status"] == "invalid"
    assert grades[ODD, "softmax"]["status"] == "missing"
    return out


def csv_rows(out: Path) -> list[dict]:
    import csv

    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ feedback pages

def test_feedback_pages_scores_parts_and_messages(graded):
    pages = write_feedback(ASSIGNMENT, graded, book_url=BOOK)
    rows = csv_rows(graded)
    students = sorted({r["student"] for r in rows})
    assert sorted(p.parent.parent.name for p in pages) == students
    with Gradebook(graded / "gradebook.sqlite") as book:
        stored = defaultdict(list)
        for p in book.parts(ASSIGNMENT):
            stored[p.student, p.grade_id].append(p)
    for student in students:
        path = graded / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert path in pages
        doc = parse(path)
        assert_self_contained(doc, BOOK)
        assert doc.one(cls="student").text() == student
        mine = [r for r in rows if r["student"] == student]
        total = doc.one("p", "total")
        assert num(total.one(cls="score").text()) == pytest.approx(sum(float(r["score"]) for r in mine))
        assert num(total.one(cls="max").text()) == pytest.approx(sum(float(r["max_score"]) for r in mine))
        cells = doc.all("section", "cell")
        assert [c.attrs["data-grade-id"] for c in cells] == [r["grade_id"] for r in mine]  # notebook order
        for cell, row in zip(cells, mine):
            head = cell.one("h2")
            assert num(head.one(cls="cell-score").one(cls="score").text()) == float(row["score"])
            assert num(head.one(cls="cell-score").one(cls="max").text()) == float(row["max_score"])
            assert head.one(cls="status").text() == row["status"]
            parts = cell.all("li", "part")
            want = stored[student, row["grade_id"]]
            if row["message"].startswith("not attempted"):  # one line instead of a NotImplementedError per part
                assert not parts and "Not attempted yet" in cell.one("p", "not-attempted").text()
                assert want and all(p.score == 0 and "NotImplementedError" in p.message for p in want)
                want = []
            assert len(parts) == len(want)
            if parts:  # the parts add up to the cell's score
                assert sum(num(p.one(cls="part-score").one(cls="score").text()) for p in parts) == \
                    pytest.approx(float(row["score"]))
            for li, part in zip(parts, want):  # exactly the stored part, message included
                assert li.one(cls="part-name").text() == part.part
                assert li.attrs["data-status"] == part.status == li.one(cls="status").text()
                shown = li.all("p", "message")
                assert [m.text() for m in shown] == ([part.message] if part.message else [])
            hint = cell.one("p", "hint").one("a")
            assert hint.attrs["href"] == f"{BOOK}/chapters/03-rnn-forward.html#{EXERCISE_ANCHOR}"
        index = parse(path.parent / "index.html")
        assert_self_contained(index)
        assert [a.attrs["href"] for a in index.all("a")] == [f"{ASSIGNMENT}.html"]

    bob = parse(graded / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    cell = bob.by_id("cell-rnn_cell_forward")
    wrong = [li for li in cell.all("li", "part") if li.attrs["data-status"] == "wrong"]
    assert wrong and all("the bias b is missing" in li.one("p", "message").text() for li in wrong)
    erin = parse(graded / "feedback" / "erin" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert {li.attrs["data-status"] for li in erin.by_id("cell-softmax").all("li", "part")} == {"timeout"}
    dave = parse(graded / "feedback" / "dave" / ASSIGNMENT / f"{ASSIGNMENT}.html")
    assert "not valid JSON" in dave.one("div", "notice").text()
    assert dave.all("li", "part") == []


def test_feedback_escapes_and_reports_missing_notebooks(graded):
    write_feedback(ASSIGNMENT, graded, book_url=BOOK)
    path = graded / "feedback" / ODD / ASSIGNMENT / f"{ASSIGNMENT}.html"
    raw = path.read_text(encoding="utf-8")
    assert "<i>" not in raw and "&lt;i&gt;" in raw  # the name is text, not markup
    doc = parse(path)
    assert doc.one(cls="student").text() == ODD
    assert "not handed in" in doc.one("div", "notice").text()
    assert num(doc.one("p", "total").one(cls="score").text()) == 0


def test_feedback_shows_only_stored_messages(graded):
    pages = write_feedback(ASSIGNMENT, graded, book_url=BOOK)
    with Gradebook(graded / "gradebook.sqlite") as book:
        allowed = {p.message for p in book.parts(ASSIGNMENT)} | {r.message for r in book.rows(ASSIGNMENT)}
    solution = (ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    secrets = ["BEGIN HIDDEN", "BEGIN SOLUTION", "np.tanh(U @ x_t + W @ h_prev + b)", "z.max(axis=0"]
    assert all(s in solution for s in secrets)  # real fragments of the hidden solution notebook
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        doc = parse(path)
        for node in doc.all(cls="message") + doc.all(cls="summary"):
            assert node.text().removeprefix("In short: ") in allowed
        for secret in secrets:
            assert secret not in raw
        assert not re.search(r"-?\d\.\d{5,}", doc.one("main").text()), "a long decimal (an expected value?)"


def test_book_links_default_and_environment(graded, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_BOOK_URL", "https://elsewhere.example.net/book/")
    page = write_feedback(ASSIGNMENT, graded)[0]
    hrefs = {a.attrs["href"] for a in parse(page).all("a")}
    assert hrefs == {"https://elsewhere.example.net/book/chapters/03-rnn-forward.html#exercise"}
    monkeypatch.delenv("AUTOGRADER_BOOK_URL")
    page = write_feedback(ASSIGNMENT, graded)[0]
    doc = parse(page)
    assert_self_contained(doc)
    hrefs = {a.attrs["href"] for a in doc.all("a")}
    assert hrefs == {(ROOT / "_build" / "html").as_uri() + "/chapters/03-rnn-forward.html#exercise"}


def test_every_assignment_links_to_a_chapter_with_an_exercise_section():
    assert set(CHAPTERS) == {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()}
    for assignment, page in CHAPTERS.items():
        nb = json.loads((ROOT / "chapters" / f"{page}.ipynb").read_text(encoding="utf-8"))
        headings = [line for c in nb["cells"] if c["cell_type"] == "markdown"
                    for line in "".join(c["source"]).splitlines() if line.startswith("#")]
        # Sphinx names the section of "## Exercise" id="exercise" when it is the only such title
        assert [h for h in headings if h.lstrip("#").strip().lower() == "exercise"] == ["## Exercise"], assignment


def test_no_gradebook_is_an_instructor_error(tmp_path):
    with pytest.raises(InstructorError, match="no gradebook"):
        write_feedback(ASSIGNMENT, tmp_path)
    with pytest.raises(InstructorError, match="no gradebook"):
        write_report(ASSIGNMENT, tmp_path)
    assert not (tmp_path / "gradebook.sqlite").exists()


# ------------------------------------------------------------------ the summary report

def test_summary_json_matches_grades_csv(graded):
    index = write_report(ASSIGNMENT, graded)
    assert index == graded / "report" / "index.html"
    summary = json.loads((graded / "report" / "summary.json").read_text(encoding="utf-8"))
    rows = csv_rows(graded)
    students = sorted({r["student"] for r in rows})
    assert summary["assignment"] == ASSIGNMENT and summary["students"] == len(students) == 6
    questions = list(dict.fromkeys(r["grade_id"] for r in rows))
    assert [q["grade_id"] for q in summary["questions"]] == questions
    for q in summary["questions"]:
        scores = [float(r["score"]) for r in rows if r["grade_id"] == q["grade_id"]]
        assert q["n"] == len(scores) == len(students)
        assert q["max_score"] == max(float(r["max_score"]) for r in rows if r["grade_id"] == q["grade_id"])
        assert q["mean"] == pytest.approx(statistics.fmean(scores))
        assert q["median"] == pytest.approx(statistics.median(scores))
        counts, _ = np.histogram(scores, bins=np.array(q["histogram"]["edges"]))
        assert q["histogram"]["counts"] == counts.tolist() and sum(counts) == len(scores)
        assert q["histogram"]["edges"][0] == 0 and q["histogram"]["edges"][-1] == pytest.approx(q["max_score"])
        assert sum(q["statuses"].values()) == len(scores)
    totals = [sum(float(r["score"]) for r in rows if r["student"] == s) for s in students]
    overall = summary["overall"]
    assert overall["mean"] == pytest.approx(statistics.fmean(totals))
    assert overall["median"] == pytest.approx(statistics.median(totals))
    assert overall["max_score"] == pytest.approx(sum(q["max_score"] for q in summary["questions"]))
    assert sum(overall["histogram"]["counts"]) == len(students)

    diagnostics = summary["diagnostics"]
    counts = [d["count"] for d in diagnostics]
    assert counts == sorted(counts, reverse=True)
    assert all("[case" not in d["message"] for d in diagnostics)
    bias = [d for d in diagnostics if "the bias b is missing" in d["message"]]
    assert bias and {q for d in bias for q in d["questions"]} == {"rnn_cell_forward", "rnn_forward"}
    assert all(d["students"] == 1 for d in bias)
    assert any("still running after 2 s" in d["message"] for d in diagnostics)

    problems = {(p["student"], p["cell"], p["status"]) for p in summary["problems"]}
    assert problems == {("erin", "softmax", "timeout"), ("dave", "all", "invalid"), (ODD, "all", "missing")}
    assert "not valid JSON" in next(p["message"] for p in summary["problems"] if p["student"] == "dave")


def test_report_page_and_images(graded):
    index = write_report(ASSIGNMENT, graded)
    summary = json.loads((graded / "report" / "summary.json").read_text(encoding="utf-8"))
    doc = parse(index)
    assert_self_contained(doc)
    assert doc.by_id("students").text() == "6"
    images = [img.attrs["src"] for img in doc.all("img")]
    assert sorted(images) == sorted([summary["overall"]["image"]] + [q["image"] for q in summary["questions"]])
    for src in images:
        assert "/" not in src and src.endswith(".png")
        data = (index.parent / src).read_bytes()
        assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 200 < width < 2000 and 100 < height < 2000
    table = doc.by_id("scores")
    body = table.one("tbody").all("tr")
    for tr, q in zip(body, summary["questions"]):
        cells = [td.text() for td in tr.all("td")]
        assert cells[0] == q["grade_id"] and float(cells[2]) == pytest.approx(q["mean"], abs=0.005)
    assert body[-1].all("td")[0].text() == "total"
    ranked = [li.one(cls="message").text() for li in doc.by_id("diagnostics").all("li")]
    assert ranked == [d["message"] for d in summary["diagnostics"]]
    assert any("the bias b is missing" in m for m in ranked)
    problems = [[td.text() for td in tr.all("td")] for tr in doc.by_id("problems").one("tbody").all("tr")]
    assert {(p[0], p[1], p[2]) for p in problems} == {("erin", "softmax", "timeout"), ("dave", "all", "invalid"),
                                                      (ODD, "all", "missing")}
    assert "&lt;i&gt;" in index.read_text(encoding="utf-8")
