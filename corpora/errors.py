"""The quotetrace error tree, shared by every layer.

    QuotetraceError
    ├── InputError            bad input from a user: 4xx over HTTP, exit 2 on the CLI
    │   ├── ReadError         a file or record that cannot be read (names the file and line)
    │   ├── InvalidRequest    a request that parses but asks for something invalid
    │   └── Conflict          a request at odds with what is stored (409): an alias taken
    ├── NotFound              a statement or resource that does not exist (404)
    └── StateError            the store or index is unusable (model or dimension mismatch,
                              database unreachable): 503, exit 1
        ├── ModelIntegrityError  model weights whose hash is not the expected one
        └── StorageFull       no space left where the indexes are written: 503, exit 1
"""

from __future__ import annotations


class QuotetraceError(Exception):
    """Base of every error quotetrace raises on purpose."""


class InputError(QuotetraceError):
    """Bad input from a user."""


class ReadError(InputError):
    """A file or record that cannot be read."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class InvalidRequest(InputError):
    """A request that parses but asks for something invalid."""


class Conflict(InputError):
    """A request at odds with what is stored: an alias another speaker holds, two QIDs."""


class NotFound(QuotetraceError):
    """A statement or resource that does not exist."""


class StateError(QuotetraceError):
    """The store or index cannot be used as it is."""


class ModelIntegrityError(StateError):
    """Model weights whose hash is not the expected one."""


class StorageFull(StateError):
    """No space left on the device that holds the indexes: nothing was published."""
