"""Faithful fakes of the systems vmkit drives: test equipment, honest to their documents.

One module per system (`lume`, `taartenfabriek`, `nemeton`, `ciderstack`, `ttstack`), each a
small Starlette app that behaves as the system's API document in `../shared/seeds/` says,
and `tart`, a fake `tart` executable. They follow the documents, not the adapters: when an
adapter and a fake disagree, the document decides.

Each module also offers `conformance_setup(workdir)`, a context manager yielding the
`ConformanceSetup` the conformance suite (`tests/backends/conformance/`) runs against.
"""
