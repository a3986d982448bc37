"""Persistent storage: claim-to-volume matching and binding, and the simulated provisioners.

Shared by the PersistentVolume controller, the scheduler's VolumeBinding plugin (which binds
WaitForFirstConsumer claims once it has picked a node) and the kubelet (which mounts a
claim's volume and keeps its files on the node or on the network disk).
"""
