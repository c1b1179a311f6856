"""Writing an output file (``-o FILE``) without ever losing a file the user wrote.

One rule for every command that writes a file (``report``, ``calendar``, and any ``-o``
added later; docs/decisions.md, decision 47):

- the input files read are never replaced, not even with ``--force``;
- an existing file is replaced only if it carries the writer's own marker near its start
  (a report, a calendar that treaty-sim wrote), or is empty, or ``--force`` is given; a data
  file with no room for a marker (the CSV, JSON Lines and Parquet of ``sweep`` and
  ``sample``) is replaced only when empty or with ``--force``;
- the text goes to a temporary file in the same folder, renamed into place once whole, so
  an interrupted write leaves the old file as it was (``os.replace`` is atomic on one file
  system);
- a device or pipe (``/dev/stdout``, a FIFO) is written to directly: it is not a file to
  replace.

A refusal is an :class:`~sim.errors.InputError` located at the file, field ``-o``: one line
and exit 2.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sim.errors import InputError

__all__ = ["HEAD", "Output"]

HEAD = 4096
"""How many bytes at the start of an existing file are searched for the marker."""


def _refused(path: str, message: str) -> InputError:
    return InputError(path, 1, 1, "-o", message)


@dataclass(frozen=True)
class Output:
    """An output file: ``path``, the bytes ``marker`` that every file this writer makes
    holds within its first :data:`HEAD` bytes, what it is called in messages (``the
    report``), the files the command reads (never replaced), and ``force``."""

    path: str
    marker: bytes | None
    """None: the files written carry no marker, so no existing file is taken for one."""
    what: str
    inputs: Sequence[str] = ()
    force: bool = False
    read: str = "one of the files read"
    """What the files read are called in a refusal (``the scenario this command reads``)."""

    def check(self) -> None:
        """Refuse, before anything runs, a path that must not be written."""
        path = Path(self.path)
        if path.is_dir():
            raise _refused(self.path, f"is a folder; -o names the file to write {self.what} in")
        if not path.parent.is_dir():
            raise _refused(
                self.path, f"there is no folder {str(path.parent)!r} to write {self.what} in"
            )
        if not path.exists():
            return
        for argument in self.inputs:
            given = Path(argument)
            if given.is_file() and given.samefile(path):
                raise _refused(self.path, f"is {self.read}; never overwritten")
        if not path.is_file():
            return  # a device or a pipe: written to, not replaced
        if self.force:
            return
        try:
            with path.open("rb") as existing:
                head = existing.read(HEAD)
        except OSError as error:
            raise _refused(self.path, f"cannot be read: {error.strerror}") from None
        if head.strip() and (self.marker is None or self.marker not in head):
            raise _refused(
                self.path,
                f"exists and was not written by treaty-sim as {self.what}; not overwritten "
                "(--force replaces it)",
            )

    def write(self, data: bytes) -> None:
        """Write ``data``: checked again (the file may have appeared meanwhile), then to a
        temporary file in the same folder renamed into place."""
        self.check()
        path = Path(self.path)
        try:
            if path.exists() and not path.is_file():
                with path.open("wb") as device:
                    device.write(data)
                return
            self._replace(path, data)
        except OSError as error:
            reason = error.strerror or os.strerror(error.errno or 0)
            raise _refused(self.path, f"cannot write {self.what}: {reason}") from None

    @contextmanager
    def replacing(self) -> Iterator[Path]:
        """A temporary path beside the output, for a writer that streams (Parquet row
        groups, CSV chunks): checked first, renamed into place when the block ends without an
        error, removed otherwise; a device or pipe is written to directly."""
        self.check()
        path = Path(self.path)
        if path.exists() and not path.is_file():
            yield path
            return
        target = path.resolve()
        mode = _mode(target)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        os.close(descriptor)
        try:
            yield Path(temporary)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @staticmethod
    def _replace(path: Path, data: bytes) -> None:
        path = path.resolve()  # through a symbolic link: the file it names is replaced
        mode = _mode(path)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _mode(path: Path) -> int:
    """The permissions of the file written: those of the file it replaces, else what a
    newly created file gets (0666 less the umask), not ``mkstemp``'s private 0600."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
