"""What a new kind/kubeadm 1.32 cluster contains before anyone types a command.

``manifests`` holds the objects (static pods, add-on DaemonSets, CoreDNS), ``bootstrap``
plays the minutes before the player arrives, ``control_plane`` lets the control-plane
components be stopped and started.
"""
