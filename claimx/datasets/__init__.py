"""Adapters from public attribution corpora to claimx gold.

The corpora are other people's news articles and are never shipped: the user
points the adapters at their own checkout. :mod:`claimx.datasets.brat` reads
any BRAT standoff annotation; :mod:`claimx.datasets.polnear` turns PolNeAR's
attribution events into :class:`~claimx.models.Attribution` gold records;
``claimx datasets convert`` (:mod:`claimx.datasets.cli`) writes them as the
JSONL gold that ``python -m claimx.eval --gold`` takes.
"""
