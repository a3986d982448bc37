"""Cluster networking: ClusterIP/NodePort allocation (``ipam``) and traffic (``traffic``:
cluster DNS, kube-proxy's choice of endpoint, requests to pods).
"""
