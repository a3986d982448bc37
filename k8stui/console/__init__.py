"""The command layer: a session that runs kubectl, docker, curl and sim commands on a cluster."""
