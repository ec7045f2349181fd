from flask_wtf import FlaskForm


class CartForm(FlaskForm):
    """The cart's forms carry their fields by hand (one per line); this checks their CSRF token."""
