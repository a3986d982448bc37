"""The kubelet: the node agent that runs a node's pods.

``agent`` is the component (one for every node), split by concept into mixins over ``core``:
``pulls`` (images and start order), ``containers`` (start to exit, back-off), ``reads``
(logs, requests to containers), ``status`` (the pod status it reports), ``probes`` and
``volumes``. It writes pod status through the store and asks the container runtime what a
process does.
"""
