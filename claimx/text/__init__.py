"""claimx/text."""
