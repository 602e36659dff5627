"""The guides' step-by-step commands work as written.

Blocks marked with the MyST comment ``% test: walkthrough`` in the instructor guide are run with
bash in a scratch folder that looks like the course repository (its solutions/, exercises/ and
.venv), and what the guide says they produce is checked.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def walkthrough_blocks(guide: Path) -> list[str]:
    return re.findall(r"^% test: walkthrough\n```bash\n(.*?)^```", guide.read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)


def test_instructor_guide_grading_walkthrough(tmp_path):
    blocks = walkthrough_blocks(ROOT / "guides" / "instructor-guide.md")
    assert blocks, "the instructor guide has no tested walkthrough"
    for name in ("solutions", "exercises"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    for block in blocks:
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, capture_output=True,
                                text=True, timeout=600, env={**os.environ, "CI": "true"})
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
    with open(tmp_path / "grades" / "03-rnn-forward" / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    alice = [r for r in rows if r["student"] == "alice"]
    bob = [r for r in rows if r["student"] == "bob"]
    assert sum(float(r["score"]) for r in alice) == 14 and {r["status"] for r in alice} == {"ok"}
    assert len(bob) == 4 and all(r["status"] == "error" and r["message"].startswith("not attempted") for r in bob)
    page = tmp_path / "grades" / "03-rnn-forward" / "feedback" / "bob" / "03-rnn-forward" / "03-rnn-forward.html"
    text = page.read_text(encoding="utf-8")
    assert text.count("Not attempted yet") == 4 and '<li class="part"' not in text  # one line per function
    assert (tmp_path / "grades" / "03-rnn-forward" / "report" / "index.html").is_file()
    with open(tmp_path / "grades" / "gradebook.csv", newline="") as f:
        book = {r["student"]: r for r in csv.DictReader(f)}
    assert float(book["alice"]["03-rnn-forward"]) == 14 and float(book["bob"]["03-rnn-forward"]) == 0
