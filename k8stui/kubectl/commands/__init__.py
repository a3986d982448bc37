"""kubectl's commands over the simulated cluster: one module per command or small family."""
