"""Putting a build in place: the URL contract, every version from git history, withdrawals, the
cache, the site check and the swap.
"""
