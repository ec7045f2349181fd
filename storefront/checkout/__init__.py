"""Checkout: who, where, how to pay; every price computed on the server; one order per submitted form."""
