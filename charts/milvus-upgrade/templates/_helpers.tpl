{{/*
Names are fixed, not prefixed with the release: the webhook configurations and ClusterRoles are
cluster-wide and the webhook and controller find each other by these names (one release per
cluster). The labels are Helm's conventions plus part-of, which `make undeploy` also selects on.
*/}}

{{- define "milvus-upgrade.labels" -}}
app.kubernetes.io/part-of: milvus-upgrade
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "milvus-upgrade.image" -}}
{{ .image.repository }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{- /* policy-only: the ValidatingAdmissionPolicies alone, no pod and nothing a pod needs. */}}
{{- define "milvus-upgrade.withWebhook" -}}
{{- if ne .Values.profile "policy-only" }}true{{ end }}
{{- end }}

{{- define "milvus-upgrade.withController" -}}
{{- if not (has .Values.profile (list "guard-only" "policy-only")) }}true{{ end }}
{{- end }}

{{- define "milvus-upgrade.certManager" -}}
{{- if and (eq .Values.certificates.mode "cert-manager") (include "milvus-upgrade.withWebhook" .) }}true{{ end }}
{{- end }}

{{- define "milvus-upgrade.controllerUser" -}}
{{- if eq .Values.profile "guard-only" -}}
{{ .Values.guardOnly.controllerUser }}
{{- else -}}
system:serviceaccount:{{ .Release.Namespace }}:milvus-upgrade-controller
{{- end }}
{{- end }}

{{/* The namespaceSelector every webhook carries: labelled namespaces, ours, and the admin's list by name. */}}
{{- define "milvus-upgrade.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: milvus-upgrade.io/ignore
      operator: NotIn
      values: ["true"]
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: {{ concat (list .Release.Namespace) .Values.namespaceExclusions | uniq | toJson }}
{{- end }}

{{/*
One of our CRDs (files/crd holds copies of manifests/crd; ChartMatchesKustomizeTest fails when they differ),
pointed at the release's namespace, kept by helm uninstall, and with cert-manager's CA injection
where cert-manager issues the certificate.
*/}}
{{- define "milvus-upgrade.crd" -}}
{{- $crd := fromYaml (.root.Files.Get .file) }}
{{- $metadata := $crd.metadata }}
{{- $annotations := dict "helm.sh/resource-policy" "keep" }}
{{- if and (include "milvus-upgrade.certManager" .root) $crd.spec.conversion }}
{{- $_ := set $annotations "cert-manager.io/inject-ca-from" (printf "%s/milvus-upgrade-webhook" .root.Release.Namespace) }}
{{- end }}
{{- $_ := set $metadata "annotations" $annotations }}
{{- /* Helm's labels, not part-of: make undeploy deletes by part-of, and no CRD may carry it. */}}
{{- $_ := set $metadata "labels" (omit (fromYaml (include "milvus-upgrade.labels" .root)) "app.kubernetes.io/part-of") }}
{{- if $crd.spec.conversion }}
{{- $_ := set $crd.spec.conversion.webhook.clientConfig.service "namespace" .root.Release.Namespace }}
{{- end }}
{{ toYaml $crd }}
{{- end }}
