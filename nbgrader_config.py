"""nbgrader configuration: this repository is the course directory.

    solutions/<assignment>/   source notebooks (solutions and hidden tests)   -- edit these
    exercises/<assignment>/   student versions, made by `nbgrader generate_assignment` -- never by hand

Regenerate the student versions after editing a source notebook:

    nbgrader generate_assignment 03-rnn-forward --force
"""

from pathlib import Path

c = get_config()  # noqa: F821 -- provided by nbgrader when it loads this file

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Solution cells become this stub in the student version.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Helper files (an assignment's small data or helper module) are released with the notebook;
# nothing else under solutions/ is.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".pytest_cache"]
