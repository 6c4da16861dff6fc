"""claimx/extraction."""
