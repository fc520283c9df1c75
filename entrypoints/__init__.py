"""Ways into the service: the HTTP API and the container that wires it."""
