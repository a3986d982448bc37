"""A real Kubernetes API over the simulated cluster, on loopback, for the real kubectl.

``app`` builds the aiohttp application (routes, auth, limits); ``runner.ApiRunner`` starts it
in any asyncio loop (the game's or ``k8stui serve``'s). Requests become calls on the engine in
arrival order, on the loop's thread, so the engine stays single-threaded and deterministic.
See docs/api.md for the design (time mapping, auth, limits).
"""
