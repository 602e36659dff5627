#!/usr/bin/env bash
# Gradescope setup of the RNN course's autograder: installs the course into the autograder image.
#
# Gradescope unpacks the autograder zip into /autograder/source and runs this script there once,
# as root, when the image is built. The zip holds the course repository with setup.sh,
# run_autograder and a file ASSIGNMENT (one line: the assignment to grade) at its root. From the
# repository root, for assignment 3:
#
#   git archive --format=zip -o autograder.zip HEAD       # the repository (committed files)
#   echo 03-rnn-forward > /tmp/ASSIGNMENT
#   zip -j autograder.zip gradescope/setup.sh gradescope/run_autograder /tmp/ASSIGNMENT
#
# and upload autograder.zip as the Gradescope assignment's autograder (one zip per assignment;
# only ASSIGNMENT differs). Students upload their notebook; it is graded with the same sandboxed
# grader as `python -m autograder grade` (see run_autograder), so the scores are the same.
#
# Choose a base image whose Python the course supports (3.11 to 3.13): Ubuntu 24.04 (Python 3.12).
# The script
#   1. installs Python with venv and pip from the distribution (apt-get), unless
#      AUTOGRADER_SKIP_APT=1 or there is no apt-get;
#   2. creates /autograder/source/.venv and installs the course into it with `pip install -e .`,
#      whose dependencies (NumPy, tqdm) are pinned exactly in pyproject.toml; only the
#      grader's runtime dependencies, not the book's or the tests' extras;
#   3. checks the ASSIGNMENT file names an assignment of solutions/, and that the grader imports,
#      so that a mistake fails the image build instead of every student's submission.
# Run from a checkout (bash gradescope/setup.sh) it installs into the checkout's .venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -f "$here/pyproject.toml" ]; then course="$here"; else course="$(dirname "$here")"; fi
echo "setup.sh: installing the RNN course from $course"

if [ "${AUTOGRADER_SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi

# course.py checks the Python before anything else and says which versions the course supports
# (pyproject.toml's requires-python: 3.11 to 3.13); --help only prints the usage after the check.
python3 "$course/course.py" --help >/dev/null \
    || { echo "setup.sh: choose a base image with a supported Python (Ubuntu 24.04 has 3.12)" >&2; exit 1; }
python3 -m venv "$course/.venv"
"$course/.venv/bin/python" -m pip install --disable-pip-version-check --no-cache-dir --upgrade pip
"$course/.venv/bin/python" -m pip install --disable-pip-version-check --no-cache-dir -e "$course"

if [ -f "$course/ASSIGNMENT" ]; then
    assignment="$(head -n 1 "$course/ASSIGNMENT" | tr -d '[:space:]')"
    if [ ! -d "$course/solutions/$assignment" ]; then
        echo "setup.sh: ASSIGNMENT names '$assignment', which is not a folder of solutions/" >&2
        exit 1
    fi
    echo "setup.sh: this autograder grades $assignment"
else
    echo "setup.sh: warning: no ASSIGNMENT file; set AUTOGRADER_ASSIGNMENT when running run_autograder" >&2
fi
"$course/.venv/bin/python" -c 'import autograder.grader, autograder.instructor.gradescope'
for script in "$course/run_autograder" "$here/run_autograder" /autograder/run_autograder; do
    if [ -f "$script" ]; then chmod +x "$script"; fi
done
echo "setup.sh: done"
