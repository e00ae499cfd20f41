"""File names are never options: what the pre-commit hooks turn on with FLAG.

pre-commit runs `entry`, then the hook's `args`, then the names of the staged files. A file
called `--output=NOTES.md` would be read as `--output` and NOTES.md overwritten with the report;
ending `entry` with `--` cannot help, since `args: [--fix]` would then come after it and be read
as a file. So the hooks' entry carries FLAG, and then every argument that starts with `-` and
names an existing file is rewritten to `./name` (the same file, no longer an option) before
argparse reads it. A real option is not a file; if a file of that very name exists, the argument
is read as that file: the safe side.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

FLAG = "--existing-files-are-paths"


def files_never_options(argv: Sequence[str]) -> list[str]:
    """`argv` as given or, when it holds FLAG (which is dropped), with option-like names of
    existing files made paths. `--` ends the rewriting: argparse reads what follows as paths."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    if FLAG not in args[:end]:
        return args
    args.remove(FLAG)
    for i, arg in enumerate(args[: end - 1]):
        if arg.startswith("-") and os.path.lexists(arg):
            args[i] = f"./{arg}"
    return args
