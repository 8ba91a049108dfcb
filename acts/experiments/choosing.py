"""Notebook 07's old helper module, split in three: ``bakeoff`` (the comparison), ``cheatsheet`` (the property
table, trained rows, costs, decision guide) and ``conventions`` (framework facts from acts/frameworks.json).

Only ``ProgressBar`` (``acts.widgets.ProgressBar``) is left here, for notebooks 04 and 05, which import
it from this module.
"""

from acts.widgets import ProgressBar

__all__ = ["ProgressBar"]
