"""The heart of the service: todos and their rules. Pure Python, imports nothing outward."""
