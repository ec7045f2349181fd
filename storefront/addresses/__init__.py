"""Vietnam's administrative units as addresses name them since 1 July 2025: province, then commune or ward."""
