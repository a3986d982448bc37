"""The API's field order: objects as Go's encoder writes the typed structs (1.32).

A typed object (what the API server sends, and what ``kubectl run``/``create <generator>``/
``expose``/``set`` print with ``-o json``) comes out in the order its Go struct declares the
fields: ``kind``, ``apiVersion``, ``metadata`` (``name``, ``namespace``, ``uid``, ...),
``spec``, ``status``, and each nested struct in its own declaration order. Unstructured
objects (``kubectl get -o json``) are maps and come out sorted instead.

``STRUCTS`` lists each struct's JSON field names in declaration order; ``name:Type`` says
the field holds a ``Type`` (or a list of them). Embedded structs (``ProbeHandler`` in
``Probe``, ``VolumeSource`` in ``Volume``) are spelt out in place, as the encoder flattens
them. A field without a struct holds a map (``labels``, ``data``, ``limits``), whose keys
Go's encoder sorts. Fields the table does not know keep their order after the known ones.
"""

from __future__ import annotations

from typing import Any

_META = "kind apiVersion metadata:ObjectMeta"
_SELECTOR_REF = "name key optional"
_HANDLER = "exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction"

STRUCTS_TEXT: dict[str, str] = {
    # apimachinery
    "ObjectMeta": "name generateName namespace selfLink uid resourceVersion generation "
    "creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations "
    "ownerReferences:OwnerReference finalizers managedFields:ManagedFieldsEntry",
    "OwnerReference": "apiVersion kind name uid controller blockOwnerDeletion",
    "ManagedFieldsEntry": "manager operation apiVersion time fieldsType fieldsV1 subresource",
    "ListMeta": "selfLink resourceVersion continue remainingItemCount",
    "LabelSelector": "matchLabels matchExpressions:Requirement",
    "Requirement": "key operator values",
    "Status": "kind apiVersion metadata:ListMeta status message reason details:StatusDetails code",
    "StatusDetails": "name group kind uid causes:StatusCause retryAfterSeconds",
    "StatusCause": "reason message field",
    # core/v1 Pod
    "Pod": f"{_META} spec:PodSpec status:PodStatus",
    "PodTemplateSpec": "metadata:ObjectMeta spec:PodSpec",
    "PodSpec": "volumes:Volume initContainers:Container containers:Container "
    "ephemeralContainers:Container restartPolicy terminationGracePeriodSeconds "
    "activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount "
    "automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace "
    "securityContext:PodSecurityContext imagePullSecrets:LocalObjectReference hostname "
    "subdomain affinity:Affinity schedulerName tolerations:Toleration hostAliases:HostAlias "
    "priorityClassName priority dnsConfig:PodDNSConfig readinessGates:PodReadinessGate "
    "runtimeClassName enableServiceLinks preemptionPolicy overhead "
    "topologySpreadConstraints:TopologySpreadConstraint setHostnameAsFQDN os:PodOS hostUsers "
    "schedulingGates:LocalObjectReference resourceClaims resources:ResourceRequirements",
    "Container": "name image command args workingDir ports:ContainerPort envFrom:EnvFromSource "
    "env:EnvVar resources:ResourceRequirements resizePolicy:ContainerResizePolicy "
    "restartPolicy volumeMounts:VolumeMount volumeDevices:VolumeDevice livenessProbe:Probe "
    "readinessProbe:Probe startupProbe:Probe lifecycle:Lifecycle terminationMessagePath "
    "terminationMessagePolicy imagePullPolicy securityContext:SecurityContext stdin stdinOnce "
    "tty",
    "ContainerPort": "name hostPort containerPort protocol hostIP",
    "EnvFromSource": "prefix configMapRef:LocalObjectReference secretRef:LocalObjectReference",
    "EnvVar": "name value valueFrom:EnvVarSource",
    "EnvVarSource": "fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector "
    "configMapKeyRef:KeySelector secretKeyRef:KeySelector",
    "ObjectFieldSelector": "apiVersion fieldPath",
    "ResourceFieldSelector": "containerName resource divisor",
    "KeySelector": _SELECTOR_REF,
    "LocalObjectReference": "name optional",
    "ResourceRequirements": "limits requests claims",
    "ContainerResizePolicy": "resourceName restartPolicy",
    "VolumeMount": "name readOnly recursiveReadOnly mountPath subPath mountPropagation subPathExpr",
    "VolumeDevice": "name devicePath",
    "Probe": f"{_HANDLER} grpc:GRPCAction initialDelaySeconds timeoutSeconds periodSeconds "
    "successThreshold failureThreshold terminationGracePeriodSeconds",
    "ExecAction": "command",
    "HTTPGetAction": "path port host scheme httpHeaders:HTTPHeader",
    "HTTPHeader": "name value",
    "TCPSocketAction": "port host",
    "GRPCAction": "port service",
    "Lifecycle": "postStart:LifecycleHandler preStop:LifecycleHandler",
    "LifecycleHandler": f"{_HANDLER} sleep",
    "SecurityContext": "capabilities:Capabilities privileged seLinuxOptions windowsOptions "
    "runAsUser runAsGroup runAsNonRoot readOnlyRootFilesystem allowPrivilegeEscalation "
    "procMount seccompProfile appArmorProfile",
    "Capabilities": "add drop",
    "PodSecurityContext": "seLinuxOptions windowsOptions runAsUser runAsGroup runAsNonRoot "
    "supplementalGroups supplementalGroupsPolicy fsGroup sysctls fsGroupChangePolicy "
    "seccompProfile appArmorProfile seLinuxChangePolicy",
    "Volume": "name hostPath:HostPathVolumeSource emptyDir:EmptyDirVolumeSource "
    "gcePersistentDisk awsElasticBlockStore gitRepo secret:SecretVolumeSource nfs iscsi "
    "glusterfs persistentVolumeClaim:PersistentVolumeClaimVolumeSource rbd flexVolume cinder "
    "cephfs flocker downwardAPI:DownwardAPIVolumeSource fc azureFile "
    "configMap:ConfigMapVolumeSource vsphereVolume quobyte azureDisk photonPersistentDisk "
    "projected:ProjectedVolumeSource portworxVolume scaleIO storageos csi ephemeral image",
    "HostPathVolumeSource": "path type",
    "EmptyDirVolumeSource": "medium sizeLimit",
    "SecretVolumeSource": "secretName items:KeyToPath defaultMode optional",
    "ConfigMapVolumeSource": "name items:KeyToPath defaultMode optional",
    "KeyToPath": "key path mode",
    "PersistentVolumeClaimVolumeSource": "claimName readOnly",
    "DownwardAPIVolumeSource": "items:DownwardAPIVolumeFile defaultMode",
    "DownwardAPIVolumeFile": "path fieldRef:ObjectFieldSelector "
    "resourceFieldRef:ResourceFieldSelector mode",
    "ProjectedVolumeSource": "sources:VolumeProjection defaultMode",
    "VolumeProjection": "secret:ProjectionRef downwardAPI:DownwardAPIProjection "
    "configMap:ProjectionRef serviceAccountToken:ServiceAccountTokenProjection "
    "clusterTrustBundle",
    "ProjectionRef": "name items:KeyToPath optional",
    "DownwardAPIProjection": "items:DownwardAPIVolumeFile",
    "ServiceAccountTokenProjection": "audience expirationSeconds path",
    "Toleration": "key operator value effect tolerationSeconds",
    "HostAlias": "ip hostnames",
    "PodDNSConfig": "nameservers searches options",
    "PodReadinessGate": "conditionType",
    "PodOS": "name",
    "Affinity": "nodeAffinity:NodeAffinity podAffinity:PodAffinity podAntiAffinity:PodAffinity",
    "NodeAffinity": "requiredDuringSchedulingIgnoredDuringExecution:NodeSelector "
    "preferredDuringSchedulingIgnoredDuringExecution:PreferredSchedulingTerm",
    "NodeSelector": "nodeSelectorTerms:NodeSelectorTerm",
    "NodeSelectorTerm": "matchExpressions:Requirement matchFields:Requirement",
    "PreferredSchedulingTerm": "weight preference:NodeSelectorTerm",
    "PodAffinity": "requiredDuringSchedulingIgnoredDuringExecution:PodAffinityTerm "
    "preferredDuringSchedulingIgnoredDuringExecution:WeightedPodAffinityTerm",
    "PodAffinityTerm": "labelSelector:LabelSelector namespaces topologyKey "
    "namespaceSelector:LabelSelector matchLabelKeys mismatchLabelKeys",
    "WeightedPodAffinityTerm": "weight podAffinityTerm:PodAffinityTerm",
    "TopologySpreadConstraint": "maxSkew topologyKey whenUnsatisfiable "
    "labelSelector:LabelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys",
    "PodStatus": "phase conditions:PodCondition message reason nominatedNodeName hostIP "
    "hostIPs:IP podIP podIPs:IP startTime initContainerStatuses:ContainerStatus "
    "containerStatuses:ContainerStatus qosClass ephemeralContainerStatuses:ContainerStatus "
    "resize resourceClaimStatuses",
    "IP": "ip",
    "PodCondition": "type status lastProbeTime lastTransitionTime reason message",
    "ContainerStatus": "name state:ContainerState lastState:ContainerState ready restartCount "
    "image imageID containerID started allocatedResources resources:ResourceRequirements "
    "volumeMounts:VolumeMountStatus user allocatedResourcesStatus",
    "VolumeMountStatus": "name mountPath readOnly recursiveReadOnly",
    "ContainerState": "waiting:StateWaiting running:StateRunning terminated:StateTerminated",
    "StateWaiting": "reason message",
    "StateRunning": "startedAt",
    "StateTerminated": "exitCode signal reason message startedAt finishedAt containerID",
    # core/v1, other kinds
    "Service": f"{_META} spec:ServiceSpec status:ServiceStatus",
    "ServiceSpec": "ports:ServicePort selector clusterIP clusterIPs type externalIPs "
    "sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName "
    "externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig "
    "ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass "
    "internalTrafficPolicy trafficDistribution",
    "ServicePort": "name protocol appProtocol port targetPort nodePort",
    "ServiceStatus": "loadBalancer:LoadBalancerStatus conditions",
    "LoadBalancerStatus": "ingress:LoadBalancerIngress",
    "LoadBalancerIngress": "ip hostname ipMode ports",
    "Endpoints": f"{_META} subsets:EndpointSubset",
    "EndpointSubset": "addresses:EndpointAddress notReadyAddresses:EndpointAddress "
    "ports:EndpointPort",
    "EndpointAddress": "ip hostname nodeName targetRef:ObjectReference",
    "EndpointPort": "name port protocol appProtocol",
    "ObjectReference": "kind namespace name uid apiVersion resourceVersion fieldPath",
    "Namespace": f"{_META} spec status:NamespaceStatus",
    "NamespaceStatus": "phase conditions",
    "ConfigMap": f"{_META} immutable data binaryData",
    "Secret": f"{_META} immutable data stringData type",
    "ServiceAccount": f"{_META} secrets:ObjectReference "
    "imagePullSecrets:LocalObjectReference automountServiceAccountToken",
    "Node": f"{_META} spec:NodeSpec status:NodeStatus",
    "NodeSpec": "podCIDR podCIDRs providerID unschedulable taints:Taint configSource externalID",
    "Taint": "key value effect timeAdded",
    "NodeStatus": "capacity allocatable phase conditions:NodeCondition addresses:NodeAddress "
    "daemonEndpoints:NodeDaemonEndpoints nodeInfo:NodeSystemInfo images:ContainerImage "
    "volumesInUse volumesAttached config runtimeHandlers features",
    "NodeCondition": "type status lastHeartbeatTime lastTransitionTime reason message",
    "NodeAddress": "type address",
    "NodeDaemonEndpoints": "kubeletEndpoint",
    "NodeSystemInfo": "machineID systemUUID bootID kernelVersion osImage "
    "containerRuntimeVersion kubeletVersion kubeProxyVersion operatingSystem architecture",
    "ContainerImage": "names sizeBytes",
    "Event": f"{_META} involvedObject:ObjectReference reason message source:EventSource "
    "firstTimestamp lastTimestamp count type eventTime series action related:ObjectReference "
    "reportingComponent reportingInstance",
    "EventSource": "component host",
    "PersistentVolumeClaim": f"{_META} spec:PersistentVolumeClaimSpec "
    "status:PersistentVolumeClaimStatus",
    "PersistentVolumeClaimSpec": "accessModes selector:LabelSelector "
    "resources:ResourceRequirements volumeName storageClassName volumeMode dataSource "
    "dataSourceRef volumeAttributesClassName",
    "PersistentVolumeClaimStatus": "phase accessModes capacity conditions allocatedResources "
    "allocatedResourceStatuses currentVolumeAttributesClassName modifyVolumeStatus",
    "PersistentVolume": f"{_META} spec:PersistentVolumeSpec status:PersistentVolumeStatus",
    "PersistentVolumeSpec": "capacity gcePersistentDisk awsElasticBlockStore "
    "hostPath:HostPathVolumeSource glusterfs nfs rbd iscsi cinder cephfs fc flocker "
    "flexVolume azureFile vsphereVolume quobyte azureDisk photonPersistentDisk portworxVolume "
    "scaleIO local storageos csi accessModes claimRef:ObjectReference "
    "persistentVolumeReclaimPolicy storageClassName mountOptions volumeMode "
    "nodeAffinity:VolumeNodeAffinity volumeAttributesClassName",
    "VolumeNodeAffinity": "required:NodeSelector",
    "PersistentVolumeStatus": "phase message reason lastPhaseTransitionTime",
    "ReplicationController": f"{_META} spec:ReplicationControllerSpec "
    "status:ReplicationControllerStatus",
    "ReplicationControllerSpec": "replicas minReadySeconds selector template:PodTemplateSpec",
    "ReplicationControllerStatus": "replicas fullyLabeledReplicas readyReplicas "
    "availableReplicas observedGeneration conditions:WorkloadCondition",
    "WorkloadCondition": "type status lastTransitionTime reason message",
    # apps/v1
    "Deployment": f"{_META} spec:DeploymentSpec status:DeploymentStatus",
    "DeploymentSpec": "replicas selector:LabelSelector template:PodTemplateSpec "
    "strategy:DeploymentStrategy minReadySeconds revisionHistoryLimit paused "
    "progressDeadlineSeconds",
    "DeploymentStrategy": "type rollingUpdate:RollingUpdate",
    "RollingUpdate": "maxUnavailable maxSurge",
    "DeploymentStatus": "observedGeneration replicas updatedReplicas readyReplicas "
    "availableReplicas unavailableReplicas terminatingReplicas "
    "conditions:DeploymentCondition collisionCount",
    "DeploymentCondition": "type status lastUpdateTime lastTransitionTime reason message",
    "ReplicaSet": f"{_META} spec:ReplicaSetSpec status:ReplicaSetStatus",
    "ReplicaSetSpec": "replicas minReadySeconds selector:LabelSelector template:PodTemplateSpec",
    "ReplicaSetStatus": "replicas fullyLabeledReplicas readyReplicas availableReplicas "
    "terminatingReplicas observedGeneration conditions:WorkloadCondition",
    "DaemonSet": f"{_META} spec:DaemonSetSpec status:DaemonSetStatus",
    "DaemonSetSpec": "selector:LabelSelector template:PodTemplateSpec "
    "updateStrategy:DaemonSetUpdateStrategy minReadySeconds revisionHistoryLimit",
    "DaemonSetUpdateStrategy": "type rollingUpdate:RollingUpdate",
    "DaemonSetStatus": "currentNumberScheduled numberMisscheduled desiredNumberScheduled "
    "numberReady observedGeneration updatedNumberScheduled numberAvailable numberUnavailable "
    "collisionCount conditions:WorkloadCondition",
    "StatefulSet": f"{_META} spec:StatefulSetSpec status:StatefulSetStatus",
    "StatefulSetSpec": "replicas selector:LabelSelector template:PodTemplateSpec "
    "volumeClaimTemplates:PersistentVolumeClaim serviceName podManagementPolicy "
    "updateStrategy:StatefulSetUpdateStrategy revisionHistoryLimit minReadySeconds "
    "persistentVolumeClaimRetentionPolicy ordinals",
    "StatefulSetUpdateStrategy": "type rollingUpdate:StatefulSetRollingUpdate",
    "StatefulSetRollingUpdate": "partition maxUnavailable",
    "StatefulSetStatus": "observedGeneration replicas readyReplicas currentReplicas "
    "updatedReplicas currentRevision updateRevision collisionCount "
    "conditions:WorkloadCondition availableReplicas",
    # batch/v1
    "Job": f"{_META} spec:JobSpec status:JobStatus",
    "JobSpec": "parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy "
    "backoffLimit backoffLimitPerIndex maxFailedIndexes selector:LabelSelector manualSelector "
    "template:PodTemplateSpec ttlSecondsAfterFinished completionMode suspend "
    "podReplacementPolicy managedBy",
    "JobStatus": "conditions:JobCondition startTime completionTime active succeeded failed "
    "terminating completedIndexes failedIndexes uncountedTerminatedPods ready",
    "JobCondition": "type status lastProbeTime lastTransitionTime reason message",
    "CronJob": f"{_META} spec:CronJobSpec status:CronJobStatus",
    "CronJobSpec": "schedule timeZone startingDeadlineSeconds concurrencyPolicy suspend "
    "jobTemplate:JobTemplateSpec successfulJobsHistoryLimit failedJobsHistoryLimit",
    "JobTemplateSpec": "metadata:ObjectMeta spec:JobSpec",
    "CronJobStatus": "active:ObjectReference lastScheduleTime lastSuccessfulTime",
    # other groups
    "StorageClass": f"{_META} provisioner parameters reclaimPolicy mountOptions "
    "allowVolumeExpansion volumeBindingMode allowedTopologies",
    "Lease": f"{_META} spec:LeaseSpec",
    "LeaseSpec": "holderIdentity leaseDurationSeconds acquireTime renewTime leaseTransitions "
    "strategy preferredHolder",
}


_Struct = tuple[dict[str, int], dict[str, str]]
"""A struct as the encoder needs it: each field's position, and the struct of struct fields."""


def _parse(text: str) -> _Struct:
    positions: dict[str, int] = {}
    children: dict[str, str] = {}
    for index, word in enumerate(text.split()):
        name, _, child = word.partition(":")
        positions[name] = index
        if child:
            children[name] = child
    return positions, children


STRUCTS: dict[str, _Struct] = {name: _parse(text) for name, text in STRUCTS_TEXT.items()}
_LIST = _parse("kind apiVersion metadata:ListMeta items")
_UNKNOWN = 1 << 20  # after every known field; sorted() is stable, so they keep their order


def go_order(obj: Any) -> Any:
    """A copy of ``obj`` with its keys in the API's field order (lists: by item kind).

    ``obj`` is an object or a ``<Kind>List`` as the API server sends them; an unknown kind
    is returned unchanged.
    """
    if not isinstance(obj, dict):
        return obj
    kind = str(obj.get("kind") or "")
    if kind in STRUCTS:
        return _by_fields(obj, STRUCTS[kind])
    if kind.endswith("List") and isinstance(obj.get("items"), list):
        item_kind = kind.removesuffix("List")
        out = _by_fields(obj, _LIST)
        out["items"] = [
            _ordered(item, str(item.get("kind") or item_kind)) if isinstance(item, dict) else item
            for item in obj["items"]
        ]
        return out
    return obj


def _ordered(value: Any, struct: str) -> Any:
    if isinstance(value, list):
        return [_ordered(item, struct) for item in value]
    found = STRUCTS.get(struct)
    if found is None or not isinstance(value, dict):
        return value
    return _by_fields(value, found)


def _by_fields(value: dict[str, Any], struct: _Struct) -> dict[str, Any]:
    positions, children = struct
    out: dict[str, Any] = {}
    for name in sorted(value, key=lambda key: positions.get(key, _UNKNOWN)):
        item = value[name]
        if isinstance(item, dict | list):
            child = children.get(name)
            item = _ordered(item, child) if child else _sorted_maps(item)
        out[name] = item
    return out


def _sorted_maps(value: Any) -> Any:
    """A field the table gives no struct for is a map (labels, data, ...): Go sorts its keys."""
    if isinstance(value, dict):
        return {key: _sorted_maps(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_maps(item) if isinstance(item, dict | list) else item for item in value]
    return value
