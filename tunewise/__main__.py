"""``python -m tunewise``: the same as the ``tunewise`` command."""

import sys

from tunewise.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
