"""k8stui: learn Kubernetes by playing it in the terminal."""

__version__ = "0.1.0"
