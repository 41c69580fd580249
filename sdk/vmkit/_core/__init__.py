"""Sans-I/O logic shared by the async and sync clients.

Retry rules and waits (``retry``, ``attempts``), problem+json to exceptions
(``problems``), configuration (``config``), deadlines (``deadline``), paging (``pages``),
idempotency keys and the ``NOT_GIVEN`` sentinel. Nothing here sends a request or sleeps.
"""
