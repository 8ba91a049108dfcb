"""The exercises of each notebook, one module per notebook (``ex01_saturated`` for 01, ...).

Each module's checks compute their expected values with ``acts`` and report
through the primitives of :mod:`acts.check`, so a notebook cell shows the
question and the learner's stub, never the answer. Usage in a notebook::

    from acts.exercises import ex01_saturated as ex
    answer = ...
    ex.saturation_bound(answer)
"""
