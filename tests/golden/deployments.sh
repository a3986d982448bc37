# Deployments: scale, rollout, history, undo; services and curl
# seed: 7
kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=3 --port=8080
kubectl rollout status deployment/kubia
kubectl get deploy,rs -o wide
kubectl expose deployment kubia --port=80 --target-port=8080
kubectl get svc kubia
curl -s kubia
curl -s kubia
kubectl scale deployment kubia --replicas=2
sleep 40
kubectl get pods
kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 2
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia:v2
        ports:
        - containerPort: 8080
EOF
kubectl rollout status deploy kubia
curl kubia
kubectl rollout history deployment/kubia
kubectl rollout undo deployment/kubia --to-revision=9
kubectl rollout undo deployment/kubia
kubectl rollout status deploy/kubia --watch=false
sleep 60
kubectl get rs
kubectl get pods -l app=kubia -o jsonpath='{.items[*].spec.containers[0].image}'
kubectl set image deployment/kubia kubia=nginx:9.9
kubectl edit deployment kubia --from-file missing.yaml
kubectl delete deployment kubia
kubectl get all
