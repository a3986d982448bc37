"""Container images: the data model, the built-in catalog, the registry, and the player's
Docker host (Dockerfile parsing, builds with a layer cache, push, tag, history).

Outside the cluster proper: nodes reach it only through the runtime's image service.
"""
