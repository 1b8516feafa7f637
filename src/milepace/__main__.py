"""``python -m milepace`` runs the command-line tool."""

from milepace.cli import main

main()
