"""Who changed what in the back office: one entry per change, with each field's old and new value."""
