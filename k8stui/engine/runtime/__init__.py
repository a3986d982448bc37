"""The container runtime: node image caches and pulls (``image_service``), and what a
container's process does over time (``process``, with its shell, JavaScript, HTTP answers and
text placeholders). Reads images; knows nothing of the API server or controllers.
"""
