"""The command line: one module per command group; ``main`` registers them on the root group."""
