"""claimx/runs."""
