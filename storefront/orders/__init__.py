"""Orders: what a shopper bought, its one state machine, and the stock it holds."""
