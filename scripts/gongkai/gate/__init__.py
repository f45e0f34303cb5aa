"""The pull-request gate (gongkai check): what changed against the base, the version bump rule,
site code, the report.
"""
