"""How long each exercise takes, estimated from what it asks (issue 13).

    python3 tests/exercises/times.py          # the table, and each notebook's time line
    python3 tests/exercises/times.py --write  # put the time lines into the source notebooks

No student has been timed yet, so the time is an estimate by a stated formula, from the
source notebook alone:

* reading: the words of the notebook's text (markdown cells), at 120 words a minute;
* writing: for every graded cell, 10 minutes (reading its section again, running its visible
  tests) plus 3.5 minutes for every line of the model answers the student writes (code between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``, without blank lines, comments and docstrings;
  not the cells where the answers of earlier exercises are pasted) -- the time to write, test and
  fix a line of NumPy;

rounded to the nearest half hour, at least half an hour. With these rates the course's first
estimates (1-2 hours for most exercises, 4-6 hours for the old exercise 4) come out the same.
A bonus part (08's reset-after form: the text from its "## Bonus" heading on, its graded cells,
and the lines of the model answers in ``if reset_after`` branches) is estimated on its own. The
first markdown cell of every source notebook carries the line :func:`time_line` writes, and the
student guide's table the same hours; ``test_times.py`` keeps both in line with the formula.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS_PER_MINUTE, MINUTES_PER_FUNCTION, MINUTES_PER_LINE = 120, 10, 3.5
TIME_LINE = re.compile(r"^\*\*Time:\*\* .*$", re.MULTILINE)


def _code_line(line: str) -> bool:
    return bool(line.strip()) and not line.strip().startswith("#") and line.strip() not in ('"""', "'''", '""""""')


def _answer_lines(code: str) -> tuple[int, int]:
    """Lines of code in the model answers of one cell (no blanks, comments or docstrings), and
    how many of them are the bonus's (inside an ``if`` on ``reset_after``)."""
    total = bonus = 0
    for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", code, re.DOTALL):
        text, bonus_lines = block, set()
        try:
            tree = ast.parse(_dedent(block))
            for node in ast.walk(tree):
                if isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) \
                        and isinstance(node.value.value, str):
                    text = text.replace(node.value.value, "")
                if isinstance(node, ast.If) and "reset_after" in ast.unparse(node.test):
                    bonus_lines |= set(range(node.body[0].lineno, node.body[-1].end_lineno + 1))
        except SyntaxError:
            pass
        lines = block.splitlines()
        total += sum(1 for line in text.splitlines() if _code_line(line))
        bonus += sum(1 for number in bonus_lines if number <= len(lines) and _code_line(lines[number - 1]))
    return total, bonus


def _dedent(block: str) -> str:
    lines = [line for line in block.splitlines() if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    return "\n".join(line[indent:] for line in block.splitlines())


def _written(source: str, meta: dict, graded: set) -> bool:
    """An answer cell the student writes: a graded function's, or one function of its own written
    again for this exercise (10's and 11's rnn_layer_forward); not a cell where the answers of
    earlier exercises are pasted (several functions, or a cell that says "paste")."""
    if meta.get("grade_id", "").removesuffix("_code") in graded:
        return True
    return len(re.findall(r"^def \w+", source, re.MULTILINE)) == 1 and "paste" not in source.lower()


def measure(notebook: Path) -> dict:
    """Words to read, graded cells and lines of model answer of a source notebook: the main part,
    and under ``"bonus"`` the bonus part's own (all zero when there is none)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    graded = {f for cell in nb["cells"] if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
              for f in re.findall(r'check\("[^"]+",\s*(\w+)\)', "".join(cell["source"]))}
    main, bonus = dict.fromkeys(("words", "functions", "lines"), 0), dict.fromkeys(("words", "functions", "lines"), 0)
    in_bonus = False
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown":
            in_bonus = in_bonus or source.lstrip().startswith("## Bonus")
            (bonus if in_bonus else main)["words"] += len(TIME_LINE.sub("", source).split())
        elif meta.get("grade") and "check(" in source:
            (bonus if re.search(r'check\("\w+_reset_after"', source) else main)["functions"] += 1
        if "### BEGIN SOLUTION" in source and _written(source, meta, graded):
            total, extra = _answer_lines(source)
            main["lines"] += total - extra
            bonus["lines"] += extra
    return {**main, "bonus": bonus}


def hours(m: dict) -> float:
    """The estimate of one part (the main part of ``measure``'s result, or its ``"bonus"``)."""
    minutes = m["words"] / WORDS_PER_MINUTE + m["functions"] * MINUTES_PER_FUNCTION + m["lines"] * MINUTES_PER_LINE
    return max(0.5, round(minutes / 30) / 2) if minutes else 0.0


def time_text(h: float) -> str:
    return f"about {h:g} hour{'s' if h != 1 else ''}"


def time_line(m: dict) -> str:
    """The line each exercise's first cell carries."""
    bonus = m["bonus"]
    cells = m["functions"] + bonus["functions"]
    extra = f", and {time_text(hours(bonus))} more for the bonus" if bonus["functions"] else ""
    return (f"**Time:** {time_text(hours(m))}{extra} (estimated from ~{round(m['words'] + bonus['words'], -2):,.0f} "
            f"words to read and {m['lines'] + bonus['lines']} lines of code to write for {cells} graded "
            f"cell{'s' if cells != 1 else ''}; the student guide says how)")


def with_time_line(nb: dict, line: str) -> dict:
    """The notebook with ``line`` in its first cell: in place of the old time line, or as the
    paragraph after the one that names the chapter."""
    first = nb["cells"][0]
    text = "".join(first["source"])
    if TIME_LINE.search(text):
        text = TIME_LINE.sub(line.replace("\\", "\\\\"), text, count=1)
    else:
        paragraphs = text.split("\n\n")
        text = "\n\n".join(paragraphs[:2] + [line] + paragraphs[2:])
    first["source"] = text.splitlines(keepends=True)
    return nb


def points(notebook: Path) -> tuple[float, float]:
    """The points of a source notebook's graded cells: the main part's and the bonus's."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    main = bonus = 0.0
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            if re.search(r'check\("\w+_reset_after"', "".join(cell["source"])):
                bonus += meta["points"]
            else:
                main += meta["points"]
    return main, bonus


def guide_table() -> str:
    """The student guide's table of the exercises: functions, points and estimated time."""
    rows = ["| exercise | you write | points | estimated time |", "|---|---|---|---|"]
    for name, path in notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        functions = list(dict.fromkeys(f for cell in nb["cells"] if cell.get("metadata", {}).get("nbgrader", {})
                                       .get("grade") for f in re.findall(r'check\("[^"]+",\s*(\w+)\)',
                                                                          "".join(cell["source"]))))
        m, (main, bonus) = measure(path), points(path)
        score = f"{main:g}" + (f" + {bonus:g} bonus" if bonus else "")
        time = time_text(hours(m)) + (f" + {hours(m['bonus']):g} for the bonus" if m["bonus"]["functions"] else "")
        rows.append(f"| `{name}` | {', '.join(f'`{f}`' for f in functions)} | {score} | {time} |")
    return "\n".join(rows)


def write() -> None:
    for _, path in notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(with_time_line(nb, time_line(measure(path))), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")


def notebooks() -> list[tuple[str, Path]]:
    return [(folder.name, nb) for folder in sorted((ROOT / "solutions").iterdir()) if folder.is_dir()
            for nb in sorted(folder.glob("*.ipynb"))]


def main() -> int:
    if "--write" in sys.argv[1:]:
        write()
    print(guide_table(), end="\n\n")
    print("| assignment | words | graded cells | answer lines | estimated time | bonus |\n|---|---|---|---|---|---|")
    for name, nb in notebooks():
        m, b = measure(nb), measure(nb)["bonus"]
        print(f"| {name} | {m['words']} | {m['functions']} | {m['lines']} | {time_text(hours(m))} | "
              + (f"{b['words']} words, {b['functions']} cells, {b['lines']} lines: {time_text(hours(b))}"
                 if b["functions"] else "") + " |")
    for name, nb in notebooks():
        print(f"{name}: {time_line(measure(nb))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
