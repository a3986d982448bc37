"""k8stui.kubectl package."""
