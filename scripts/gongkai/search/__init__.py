"""The site's own search: a chunked static index (shards.py) of the dataset and hand-written
pages (documents.py), split into terms the same way as docs/assets/search.js splits a query (terms.py)."""
