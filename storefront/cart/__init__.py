"""The cart: kept in the visitor's session (a guest's cart survives signing in), checked on every view."""
