"""The experiments behind each notebook's claims, one module per notebook.

A notebook cell shows the idea in a few lines; the loops, sweeps and
bookkeeping that an experiment needs live here, documented and tested, so the
notebook stays readable and the numbers it prints come from tested code.
Modules: ``why`` (00), ``saturated`` (01), ``relu_family`` (02), ``smooth`` (03),
``mobile_friendly`` (04), ``learnable`` (05), ``choosing`` (07).
"""
