"""What every stage shares: problems and errors, site settings, the safe readers of the
repository's own files, public site paths, writing files, running on every core.
"""
