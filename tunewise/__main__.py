"""``python -m tunewise``: the same as the ``tunewise`` command."""

import sys

from tunewise.cli.main import main

sys.exit(main())
