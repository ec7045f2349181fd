"""Payments: VietQR bank-transfer codes and Stripe card payments."""
