"""Follow-up plans, early-warning rules, the outbox and the worker jobs that process them."""
