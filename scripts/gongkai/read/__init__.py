"""Reading a dataset: discover and load descriptors, strict CSV, whole columns, a valid table as a
stream of rows with its column profile, facts about cells.
"""
