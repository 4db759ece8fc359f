"""Writing files safely: atomic replacement and answer files."""
