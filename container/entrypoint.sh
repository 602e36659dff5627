#!/bin/sh
# The grading container's command:  grade ASSIGNMENT [options of `python -m autograder grade`]
#
# Grades the submissions mounted at /submitted (nbgrader's layout: <student>/<ASSIGNMENT>/*.ipynb,
# mounted read-only) into /graded/ASSIGNMENT (grades.csv, gradebook.sqlite), then writes the
# feedback pages and the report there. Exits with the grade command's status (0, 2 for a problem
# with the input or a host that cannot confine student code, 3 when some notebooks were not graded).
# The paths can be changed with AUTOGRADER_SUBMITTED, AUTOGRADER_GRADED, AUTOGRADER_SOURCE and
# AUTOGRADER_PYTHON (the tests run this script outside a container that way).
set -eu
if [ "$#" -lt 1 ]; then
    echo "usage: grade ASSIGNMENT [options of python -m autograder grade]" >&2
    exit 2
fi
assignment=$1
shift
python=${AUTOGRADER_PYTHON:-python3}
source_dir=${AUTOGRADER_SOURCE:-/course/solutions}
submitted=${AUTOGRADER_SUBMITTED:-/submitted}
out=${AUTOGRADER_GRADED:-/graded}/$assignment

status=0
"$python" -m autograder grade "$assignment" --submitted "$submitted" --out "$out" --source "$source_dir" "$@" \
    || status=$?
if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
    "$python" -m autograder feedback "$assignment" --out "$out" --source "$source_dir"
    "$python" -m autograder report "$assignment" --out "$out"
fi
exit "$status"
