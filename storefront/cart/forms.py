from flask_wtf import FlaskForm


class CartForm(FlaskForm):
    """The cart's forms carry their fields by hand (one per line); this checks their CSRF token."""


def repeated_fields(formdata) -> list[str]:
    """The names a posted form holds more than once. The cart and checkout forms have no field that may
    repeat: a repeated one is a tampered or broken form, refused rather than guessed at."""
    return [name for name in formdata if len(formdata.getlist(name)) > 1]
