"""API machinery shared by every component: quantities, label selectors, Go durations.

Pure functions over Kubernetes values (upstream's ``k8s.io/apimachinery``); imports nothing
else of the engine.
"""
