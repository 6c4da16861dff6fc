"""claimx/consolidate."""
