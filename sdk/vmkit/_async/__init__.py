"""vmkit."""
