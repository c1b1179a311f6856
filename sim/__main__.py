"""``python -m sim``: the same as the ``treaty-sim`` command."""

from sim.cli import main

raise SystemExit(main())
