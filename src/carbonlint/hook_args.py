"""The pre-commit hooks' command line: file names are never read as options.

pre-commit runs ``entry`` + the ``args:`` of the user's configuration + the staged file names,
all in one argv. A file name is just a word there: a folder named ``--output=x`` holding a
README.md arrives as ``--output=x/README.md`` and would be taken for ``-o``, writing the report
over ``x/README.md``. Nothing in that argv says where the user's arguments end, so the hooks'
entries end with :data:`MARKER` (``carbonlint check --from-pre-commit``) and :func:`split` draws
the line before click parses anything:

* pre-commit passes only names of files that exist (relative to the repository root, where the
  hook runs). So the file names are the longest run of trailing arguments that name existing
  files (not directories); the arguments before them are the user's.
* A user argument can itself name an existing file: ``args: [--config, .carbonlint.toml]``.
  Only the one just before the run can be swallowed that way (the run stops at ``--config``,
  which is not a file), so when the user's part ends with an option that takes a value, the
  first name of the run goes back to it as its value.

The command line becomes ``check [user arguments] -- [file names]``, and after ``--`` nothing is
an option. A user argument that is a path to a file (``args: [extra/README.md]``) may end up
after ``--`` too, where it means the same thing. What is not covered: a file pre-commit names
that does not exist by the time the hook starts (nothing to read, but its name is parsed as
the user's argument); and a file whose name is exactly one of the user's arguments, next to
the file names, which is then read as a file instead.
"""

from __future__ import annotations

import os
from typing import Sequence

import click

MARKER = "--from-pre-commit"
COMMANDS = ("check", "fix")


def _names_a_file(argument: str) -> bool:
    return os.path.lexists(argument) and not os.path.isdir(argument)


def _takes_value(command: click.Command, argument: str) -> bool:
    """Whether ``argument`` alone (no ``=value``, no glued short value) is an option waiting for
    its value."""
    for parameter in command.params:
        if isinstance(parameter, click.Option) and not parameter.is_flag and not parameter.count:
            if argument in parameter.opts or argument in parameter.secondary_opts:
                return True
    return False


def split(command: click.Command, arguments: Sequence[str]) -> list[str]:
    """``arguments`` (the user's, then pre-commit's file names) as ``[user..., "--", files...]``."""
    start = len(arguments)
    while start > 0 and _names_a_file(arguments[start - 1]):
        start -= 1
    user, files = list(arguments[:start]), list(arguments[start:])
    if "--" in user:  # the user already ended the options: everything after it is a path anyway
        return [*user, *files]
    if user and files and _takes_value(command, user[-1]):
        user.append(files.pop(0))
    return [*user, "--", *files]


def rewrite(argv: list[str], group: click.Group) -> list[str]:
    """``argv`` with ``COMMAND --from-pre-commit ...`` split as above; any other argv as it is."""
    if len(argv) < 2 or argv[0] not in COMMANDS or argv[1] != MARKER:
        return argv
    ctx = click.Context(group)
    command = group.get_command(ctx, argv[0])
    assert command is not None
    return [argv[0], *split(command, argv[2:])]
