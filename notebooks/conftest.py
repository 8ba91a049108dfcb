"""nbval settings for the course notebooks.

An ipywidgets output stores a random model id, so its text can never match
between two runs: nbval skips comparing that MIME type (the explorer cells are
also tagged `nbval-ignore-output`). Images are not compared by nbval either;
every other output must match exactly (after tests/nbval_sanitize.cfg).
"""


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/vnd.jupyter.widget-view+json",)
