"""Stock levels from the warehouse service on the local network."""
