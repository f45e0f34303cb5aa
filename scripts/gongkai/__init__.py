"""gongkai: a static open-data portal built from Frictionless data packages."""

__version__ = "0.1.0"
