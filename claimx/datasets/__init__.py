"""Adapters from public corpora to claimx gold.

The corpora are other people's news articles and are never shipped: the user
points the adapters at their own checkout. :mod:`claimx.datasets.brat` reads
any BRAT standoff annotation; :mod:`claimx.datasets.polnear` turns PolNeAR's
attribution events into :class:`~claimx.models.Attribution` gold records;
:mod:`claimx.datasets.fnc1` turns FNC-1's headline-body pairs into
targeted-stance records (:class:`~claimx.models.TargetedRecord`), split by body
into a tune and a report part; ``claimx datasets convert``
(:mod:`claimx.datasets.cli`) writes them as JSONL.
"""
