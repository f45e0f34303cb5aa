"""Validation: validator.py runs the checks, one concern per module beside it; problems are data,
never exceptions.
"""
