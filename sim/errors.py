"""The one exception type for the user's mistakes (PRODUCT.md, "Errors")."""

from __future__ import annotations


class InputError(Exception):
    """A problem in what the user wrote, located in a file: printed as one line
    ``FILE:LINE:COL: path.to.field: what is wrong`` and exit code 2. Anything else that
    escapes is a bug."""

    def __init__(self, file: str, line: int, column: int, field: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.field}: {self.message}"


class InputErrors(Exception):
    """Several problems in one file, one line each."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors
