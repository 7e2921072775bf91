"""`python -m litigation` runs the command line."""

from .cli import main

main()
