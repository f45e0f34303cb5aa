"""gongkai new and gongkai update: a dataset folder from a maintainer's CSV or XLSX."""
