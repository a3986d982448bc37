# C7: kubectl run, get, describe, and the --generator history
# seed: 7
kubectl run kubia --image=luksa/kubia --port=8080
kubectl get pods
sleep 10
kubectl get pods -o wide
kubectl describe pod kubia
kubectl logs kubia
kubectl exec kubia -- hostname
kubectl run kubia2 --image=luksa/kubia --generator=run/v1
kubectl gett pods
kubectl get pdos
kubectl get pods nope
kubectl get svc -n kube-system
kubectl delete pod kubia
kubectl get pods
sleep 31
kubectl get pods
