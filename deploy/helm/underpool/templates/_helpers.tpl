{{/* The name every object carries: the release's, so two releases never collide. */}}
{{- define "underpool.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The labels that select the agent's pods: they never change across upgrades. */}}
{{- define "underpool.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The standard labels of every object. */}}
{{- define "underpool.labels" -}}
{{ include "underpool.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "underpool.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "underpool.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "underpool.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Where the agent listens: the plugin on the host finds it there (the netconf's default ipam.socket). */}}
{{- define "underpool.socket" -}}
{{- printf "%s/agent.sock" (trimSuffix "/" .Values.agent.socketDir) -}}
{{- end -}}

{{/* The directory inside the container where the etcd TLS secret is mounted. */}}
{{- define "underpool.etcdTlsDir" -}}/etc/underpool/etcd{{- end -}}

{{/* Refuses a values file that would run a broken or unsafe install, saying which value to change. */}}
{{- define "underpool.validate" -}}
{{- $store := .Values.store.type -}}
{{- if not (has $store (list "etcd" "embedded")) -}}
{{- fail (printf "store.type must be etcd or embedded, not %q" $store) -}}
{{- end -}}
{{- if and (eq $store "embedded") (not .Values.singleNode) -}}
{{- fail "store.type embedded keeps allocations in a file on each node: agents on two nodes would hand out the same addresses. Use store.type etcd, or set singleNode: true if this cluster really is one node" -}}
{{- end -}}
{{- if and (eq $store "etcd") (empty .Values.store.etcd.endpoints) -}}
{{- fail "store.etcd.endpoints is empty: list the etcd client URLs (http://HOST:2379 or https://HOST:2379)" -}}
{{- end -}}
{{- if and (eq $store "etcd") .Values.store.etcd.tlsSecret -}}
{{- range .Values.store.etcd.endpoints -}}
{{- if not (hasPrefix "https://" .) -}}
{{- fail (printf "store.etcd.tlsSecret is set but endpoint %q is not https://" .) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $pool := .Values.pools -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" (toString $pool.name)) -}}
{{- fail (printf "pools: %q is not a pool name this chart can create (lower-case letters, digits, '-' and '.')" (toString $pool.name)) -}}
{{- end -}}
{{- if not $pool.subnet -}}
{{- fail (printf "pools: pool %q needs a subnet" $pool.name) -}}
{{- end -}}
{{- range $field := list "probe" "checkGateway" -}}
{{- if kindIs "bool" (get $pool $field) -}}
{{- fail (printf "pools: pool %q: %s must be quoted (\"on\", \"off\"): YAML reads a bare on or off as true or false" $pool.name $field) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
