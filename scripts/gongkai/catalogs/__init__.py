"""The catalog model and the files programs read: catalog.json, DCAT-AP, DCAT-US data.json, the
Atom feed, schema.org JSON-LD.
"""
