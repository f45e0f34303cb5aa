"""Our own checks, one concern per module. Each yields Problems and never raises for bad data."""
