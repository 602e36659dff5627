"""The grading container (issue 15). No container engine runs on this machine, so the tests check
what can be checked without one: the Containerfile is well formed and copies what exists; the
instructor guide's ``docker run`` command is the one tested here (its capabilities, mounts and
arguments); and the image's entrypoint, run outside a container as root with only those
capabilities and without namespaces or Landlock (a default Docker container, simulated by
``hosts.py``), grades a class into the mounted folder with the sandbox confined."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import hosts
from .conftest import ASSIGNMENT, GRADED, ROOT, notebook, put

CONTAINERFILE = ROOT / "container" / "Containerfile"
ENTRYPOINT = ROOT / "container" / "entrypoint.sh"
INSTRUCTIONS = {"FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR", "ENTRYPOINT", "CMD", "USER", "LABEL",
                "EXPOSE", "VOLUME", "SHELL", "HEALTHCHECK", "STOPSIGNAL", "ONBUILD"}


def instructions() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` of the Containerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", CONTAINERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword, rest.strip()))
    return found


def documented() -> tuple[list[str], list[str]]:
    """The guide's ``docker build`` and ``docker run`` commands, split into words."""
    guide = (ROOT / "guides" / "instructor-guide.md").read_text(encoding="utf-8")
    block = re.search(r"^% test: container\n```bash\n(.*?)^```", guide, re.MULTILINE | re.DOTALL)
    assert block, "the instructor guide has no container command"
    build, run = (shlex.split(line) for line in block.group(1).strip().splitlines())
    return build, run


def test_the_containerfile_is_well_formed():
    found = instructions()
    assert found[0][0] == "FROM" and found[0][1].startswith("python:3.1")
    assert all(keyword in INSTRUCTIONS for keyword, _ in found), found
    for keyword, rest in found:
        if keyword == "COPY":
            *sources, _ = rest.split()
            assert all((ROOT / s).exists() for s in sources), f"COPY of something missing: {rest}"
    entry = json.loads(dict(found)["ENTRYPOINT"])
    assert entry == ["/usr/local/bin/grade"]
    assert any(k == "COPY" and r.split() == ["container/entrypoint.sh", "/usr/local/bin/grade"] for k, r in found)
    version = re.search(r"python:3\.(\d+)", found[0][1]).group(1)
    assert 11 <= int(version) <= 13, "the image's Python must be one the course supports"
    syntax = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_the_documented_command_matches_the_image():
    build, run = documented()
    assert build[:2] == ["docker", "build"] and build[build.index("-f") + 1] == "container/Containerfile"
    image = build[build.index("-t") + 1]
    assert run[:2] == ["docker", "run"] and image in run
    options, args = run[2:run.index(image)], run[run.index(image) + 1:]
    assert args[0] == ASSIGNMENT
    assert "--network" in options and options[options.index("--network") + 1] == "none"
    assert options[options.index("--cap-drop") + 1] == "ALL" and "--privileged" not in options
    volumes = [options[i + 1] for i, o in enumerate(options) if o == "-v"]
    assert any(v.endswith(":/submitted:ro") for v in volumes) and any(v.endswith(":/graded") for v in volumes)


@pytest.mark.slow
@pytest.mark.skipif(os.getuid() != 0 or sys.platform != "linux", reason="simulating a container needs root")
def test_the_entrypoint_grades_with_the_documented_capabilities_only(tmp_path):
    _, run = documented()
    image = run[run.index("rnn-course-grader")]
    caps = [run[i + 1].lower() for i, o in enumerate(run) if o == "--cap-add"]
    args = run[run.index(image) + 1:]
    tmp_path.chmod(0o755)
    submitted, graded = tmp_path / "submitted", tmp_path / "graded"
    put(submitted, "alice", notebook())
    put(submitted, "bob", notebook(softmax="def softmax(z):\n    return z"))
    graded.mkdir()
    os.chown(graded, hosts.USER_UID, hosts.USER_UID)  # the instructor's folder, not the container's root's
    for folder, dirs, files in os.walk(tmp_path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chmod(name, 0o755 if os.path.isdir(name) else 0o644)
    env = {**os.environ, "CI": "true", "AUTOGRADER_SUBMITTED": str(submitted), "AUTOGRADER_GRADED": str(graded),
           "AUTOGRADER_SOURCE": str(ROOT / "solutions"), "AUTOGRADER_PYTHON": sys.executable}
    result = subprocess.run([sys.executable, str(Path(hosts.__file__)), "--host", "root-unavailable-nolandlock",
                             "--caps", ",".join(caps), "--", str(ENTRYPOINT), *args], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "chroot" in result.stderr and "unprivileged user" in result.stderr
    out = graded / ASSIGNMENT
    with open(out / "grades.csv", newline="") as f:
        rows = {(r["student"], r["grade_id"]): r for r in csv.DictReader(f)}
    assert all(float(rows["alice", g]["score"]) == p for g, p in GRADED.items())
    assert float(rows["bob", "softmax"]["score"]) < GRADED["softmax"]
    assert (out / "report" / "index.html").is_file()
    assert (out / "feedback" / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    shutil.rmtree(tmp_path, ignore_errors=True)
