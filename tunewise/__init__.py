"""tunewise: decide, with numbers you can defend, how to adapt a large language model.

The repository keeps its parts in top-level folders (engine/, cli/, report/, storage/,
tui/, templates/); the package build maps each of them under this one import name.
"""
