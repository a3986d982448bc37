"""k8stui.engine package."""
