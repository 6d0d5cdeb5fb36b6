"""The back office home page and its work list."""
