"""``python -m mixpeek_emulator``: the same as the ``mixpeek-emulator`` command."""

from .cli import main

raise SystemExit(main())
