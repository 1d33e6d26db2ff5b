"""deeply: a command-line reader for archives of published interviews."""
