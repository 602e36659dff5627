"""Bad submissions get rows with status invalid or missing and a message naming the file and the
problem; the grader never crashes on a submission (issue 6, "Bad input")."""

from __future__ import annotations

import json
import os

from .conftest import (
    GRADED,
    answer_of,
    grade_cli,
    notebook,
    put,
    read_grades,
)


def test_bad_input_of_every_kind(submitted, tmp_path):
    put(submitted, "malformed", '{"cells": [')
    old = notebook()
    old["nbformat"] = 3
    put(submitted, "oldformat", old)
    put(submitted, "junk", os.urandom(4096))
    put(submitted, "emptyfile", "")
    (submitted / "emptyfolder").mkdir()
    (submitted / "noassignment" / "other-assignment").mkdir(parents=True)
    put(submitted, "two", notebook(), name="a.ipynb")
    put(submitted, "two", notebook(), name="b.ipynb")
    put(submitted, "renamedfile", notebook(), name="my-homework.ipynb")
    nb = notebook()
    nb["cells"] = [c for c in nb["cells"]
                   if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "rnn_forward_code"]
    put(submitted, "deletedcell", nb)
    nb = notebook()
    nb["cells"].reverse()
    put(submitted, "reordered", nb)
    put(submitted, "renamedfn", notebook(rnn_cell_forward=answer_of("rnn_cell_forward").replace(
        "def rnn_cell_forward(", "def rnn_step(")))
    nb = notebook()
    nb["cells"] = []
    put(submitted, "nocells", nb)
    put(submitted, "notanotebook", json.dumps([1, 2, 3]))
    put(submitted, "syntax", notebook(softmax="def softmax(z)\n    return z"))
    put(submitted, "crashes", notebook(softmax="import os\nos._exit(3)"))  # the notebook itself cannot run

    out = tmp_path / "out"
    result = grade_cli(submitted, out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    g = read_grades(out)

    class Statuses(set):  # a set of statuses whose failure message shows the student's rows
        def __repr__(self):
            rows = [(c, g[self.student, c]["status"], g[self.student, c]["message"]) for c in GRADED]
            return f"{set(self)} from {rows}"

    def status(student):
        found = Statuses(g[student, cell]["status"] for cell in GRADED)
        found.student = student
        return found

    def message(student):
        return g[student, "softmax"]["message"]

    assert status("malformed") == {"invalid"} and "malformed/03-rnn-forward/03-rnn-forward.ipynb is not valid JSON" \
        in message("malformed")
    assert status("oldformat") == {"invalid"} and "format version 3" in message("oldformat")
    assert status("junk") == {"invalid"} and "not a notebook" in message("junk")
    assert status("emptyfile") == {"invalid"} and "is empty" in message("emptyfile")
    assert status("emptyfolder") == {"missing"} and "no folder 03-rnn-forward/" in message("emptyfolder")
    assert status("noassignment") == {"missing"}
    assert status("two") == {"invalid"} and "2 notebooks (a.ipynb, b.ipynb)" in message("two")
    assert status("renamedfile") == {"ok"} and "graded my-homework.ipynb" in message("renamedfile")
    assert g["deletedcell", "rnn_forward"]["status"] == "error" and "no function named rnn_forward" in \
        g["deletedcell", "rnn_forward"]["message"] and "answer cells deleted: rnn_forward_code" in \
        g["deletedcell", "rnn_forward"]["message"]
    assert g["deletedcell", "softmax"]["status"] == "ok"
    assert status("reordered") == {"ok"}, "cells run in the source's order, whatever order they were saved in"
    assert g["renamedfn", "rnn_cell_forward"]["status"] == "error" and "no function named rnn_cell_forward" in \
        g["renamedfn", "rnn_cell_forward"]["message"]
    assert g["renamedfn", "softmax"]["status"] == "ok"
    assert status("nocells") == {"invalid"} and "none of the assignment's answer cells" in message("nocells")
    assert status("notanotebook") == {"invalid"}
    assert g["syntax", "softmax"]["status"] == "error" and "SyntaxError" in g["syntax", "softmax"]["message"]
    assert g["syntax", "rnn_forward"]["status"] == "ok", "a syntax error costs only its own cell's functions"
    assert status("crashes") == {"error"} and all("while running the notebook's cells" in g["crashes", c]["message"]
                                                  for c in GRADED)
