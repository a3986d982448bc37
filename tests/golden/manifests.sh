# Manifests, labels, logs, exec and docker
# seed: 3
kubectl apply -f manifests/kubia-rc.yaml
kubectl apply -f manifests/kubia-rc.yaml
kubectl create -f manifests/kubia-rc.yaml
kubectl apply -f manifests/typo.yaml
kubectl apply -f manifests/statefulset.yaml
kubectl apply -f manifests/nothing.yaml
kubectl apply -f manifests/sidecar.yaml
sleep 30
kubectl get rc kubia
kubectl scale rc kubia --replicas=2
kubectl get pods --show-labels
kubectl label pod fortune app=web
kubectl label pod fortune app=web --overwrite
kubectl label pod fortune tier=frontend release-
kubectl get pods -l 'app in (web,kubia)'
kubectl annotate pod fortune owner=me
kubectl logs fortune
kubectl logs fortune -c html-generator --tail=1
kubectl logs fortune -p
kubectl exec fortune -- ps
kubectl exec fortune -c web -- ls /usr/share/nginx/html
kubectl exec fortune -c web -- cat /nope
kubectl exec fortune -- frobnicate
kubectl exec fortune ls
sim kill-pod fortune
sleep 15
kubectl get pod fortune
kubectl describe rc kubia
docker build -t player/kubia:v1 manifests/app
docker images
kubectl delete -f manifests/kubia-rc.yaml
kubectl delete pods --all --grace-period=0 --force
kubectl get pods
