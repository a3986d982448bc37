"""k8stui.game package."""
