# Nodes: cordon, drain, a crashed node and kubectl top
# seed: 7
kubectl create deployment kubia --image=luksa/kubia --replicas=3
kubectl run bare --image=luksa/kubia
sleep 20
kubectl get pods -o wide --sort-by=.spec.nodeName
kubectl cordon worker-1
kubectl cordon worker-1
kubectl get nodes
kubectl drain worker-2
kubectl drain worker-2 --ignore-daemonsets --force
kubectl get pods -o wide --field-selector spec.nodeName=worker-2
kubectl uncordon worker-1
kubectl top nodes
kubectl top pods
sim crash-node worker-3
sleep 60
kubectl get nodes
kubectl get pods -o wide
