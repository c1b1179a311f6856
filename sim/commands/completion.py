"""``treaty-sim --print-completion SHELL``: a shell completion script for every command and
option, generated from the argument parser by shtab (https://github.com/iterative/shtab), an
optional dependency: ``pip install 'treaty-sim[completion]'`` (docs/install.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

__all__ = ["SHELLS", "add_completion_option"]

SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")
EXIT_INPUT = 2


def _complete_paths(parser: argparse.ArgumentParser, files: Any, folders: Any) -> None:
    """Offer file names for positional arguments without fixed choices (scenario files,
    folders of them, treaty names being words the shell cannot guess) and folder names for
    options whose value is a folder."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _complete_paths(sub, files, folders)
        elif not action.option_strings and action.choices is None:
            action.complete = files  # type: ignore[attr-defined]
        elif action.metavar == "FOLDER":
            action.complete = folders  # type: ignore[attr-defined]
        elif action.metavar == "FILE":
            action.complete = files  # type: ignore[attr-defined]


class _PrintCompletion(argparse.Action):
    """Print the completion script for the shell named, and exit 0 (as ``--version`` does)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest,
            choices=SHELLS,
            metavar="SHELL",
            default=argparse.SUPPRESS,
            help=f"print a shell completion script ({', '.join(SHELLS)}) and exit; needs "
            "the completion extra: pip install 'treaty-sim[completion]'",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> NoReturn:
        try:
            import shtab
        except ImportError:
            parser.exit(
                EXIT_INPUT,
                f"{parser.prog}: error: --print-completion needs shtab: "
                "pip install 'treaty-sim[completion]'\n",
            )
        _complete_paths(parser, shtab.FILE, shtab.DIRECTORY)
        sys.stdout.write(shtab.complete(parser, shell=values).rstrip("\n") + "\n")
        parser.exit(0)


def add_completion_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--print-completion SHELL`` to the top-level parser."""
    parser.add_argument("--print-completion", action=_PrintCompletion)
