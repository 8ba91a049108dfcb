"""Where the course is, for the course-wide tests (links, hygiene, slides, Binder, browser).

COURSE_ROOT=/path points those tests at another copy of the course (a
throwaway course, to test the tests); the default is this repository.
(A module of its own, not conftest.py: notebooks/ has a conftest.py too, and
two modules named conftest cannot both be imported by name.)
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COURSE_ROOT = Path(os.environ.get("COURSE_ROOT") or REPO).resolve()


def course_notebooks():
    """The course notebooks, in course order (sorted file names)."""
    return sorted((COURSE_ROOT / "notebooks").glob("*.ipynb"))
