"""Pages from the catalog: Markdown in Chinese and English, escaping of untrusted text, the quality
scores, raw HTML kept away from Markdown.
"""
