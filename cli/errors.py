"""Errors the command line turns into exit statuses."""


class UsageError(Exception):
    """Bad arguments or input: exit status 2 with a one-line message."""
