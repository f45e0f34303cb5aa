"""Download files for each dataset: the CSV and its copies, XLSX, JSON, the published
datapackage.json, zip, and charts drawn to checked SVG.
"""
