"""Bank transfers reported by a bank-feed service (SePay, Casso), matched to the VietQR orders they pay."""
