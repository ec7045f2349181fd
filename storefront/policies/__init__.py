"""Who runs the shop and its published policies: returns, privacy, shipping, payment."""
