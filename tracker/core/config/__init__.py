"""The user's settings: a TOML file, the environment and the command line, each setting with its source."""
