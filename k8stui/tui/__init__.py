"""k8stui.tui package."""
