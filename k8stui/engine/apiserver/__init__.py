"""The kube-apiserver: the only door to the store.

``server`` carries out the write verbs (validation, defaults, admission, generateName,
graceful delete, garbage collection); ``defaults``, ``merge`` (patch and apply semantics),
``resources`` (the kinds served) and ``validation`` are its pure parts. It writes to the store
and emits events; it never calls the scheduler, the controllers or the kubelets.
"""
