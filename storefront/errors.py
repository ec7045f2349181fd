class DomainError(Exception):
    """A rule of the domain refused an operation; the message is safe to show the user."""


class NotFound(DomainError):
    pass
