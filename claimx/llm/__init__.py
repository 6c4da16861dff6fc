"""claimx/llm."""
