"""Referrals: a survivor × an opportunity, from suggestion to outcome, every step audited."""
