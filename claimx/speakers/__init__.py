"""claimx/speakers."""
