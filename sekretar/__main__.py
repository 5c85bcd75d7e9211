"""`python -m sekretar` is the `sekretar` command."""
import sys

from sekretar.cli import main

sys.exit(main())
