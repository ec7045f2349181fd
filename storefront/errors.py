class DomainError(Exception):
    """A rule of the domain refused an operation; the message is safe to show the user."""


class NotFound(DomainError):
    pass


class FieldError(DomainError):
    """A rule refused one value of a form: `field` names it, so the form can show the message beside it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
