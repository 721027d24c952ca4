"""The one exception type that means "the user must fix something", shown without a traceback."""


class UserError(Exception):
    """A bad path, file, flag or input: the message says what is wrong and what to do."""
