"""Notebook 07's old helper module, split in three: ``bakeoff`` (the comparison), ``cheatsheet`` (the property
table, trained rows, costs, decision guide) and ``conventions`` (framework facts from acts/frameworks.json).

Only ``ProgressBar`` is left here, for notebook 04, which imports it from this module.
"""

from acts.experiments.bakeoff_report import ProgressBar

__all__ = ["ProgressBar"]
