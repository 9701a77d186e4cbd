{{/*
Helpers of the Cityhall chart. The chart is data-driven: every per-service template ranges over
the services resolved by "cityhall.services" (values.services entries merged over
values.serviceDefaults), so a new service is a new values entry and nothing else.
The templates render under `helm template --strict` (a missing key is an error), which is how the
tests in deploy/ render them.
*/}}

{{/* Prefix of every object name: the release name unless fullnameOverride; 40 characters at most. */}}
{{- define "cityhall.fullname" -}}
{{- .Values.fullnameOverride | default .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "cityhall.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; call with (dict "root" $ "name" "<component>"). */}}
{{- define "cityhall.labels" -}}
helm.sh/chart: {{ include "cityhall.chart" .root }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: cityhall
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "cityhall.selectorLabels" . }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of a component (Deployment selector, Service selector, policies). */}}
{{- define "cityhall.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/*
cityhall.deepMerge: merges .src into the map .dst in place, nested maps key by key. Unlike sprig's
mergeOverwrite it also applies false, 0 and "" from .src (so `enabled: false` overrides a default).
*/}}
{{- define "cityhall.deepMerge" -}}
{{- $dst := .dst -}}
{{- range $k, $v := .src -}}
{{- if and (kindIs "map" $v) (kindIs "map" (get $dst $k)) -}}
{{- $_ := include "cityhall.deepMerge" (dict "dst" (get $dst $k) "src" $v) -}}
{{- else -}}
{{- $_ := set $dst $k $v -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
cityhall.services: sets .out.services to the list of enabled services (sorted by name), each
values.serviceDefaults merged with its entry, plus the derived fields:
  name, fullname, envPrefix, imageRef, serviceAccount, configMap,
  dbSecretName, dbSecretKey, dbName, pgCluster (postgres.cnpg.enabled only)
Call: {{- $h := dict -}}{{- $_ := include "cityhall.services" (dict "root" $ "out" $h) -}}
*/}}
{{- define "cityhall.services" -}}
{{- $root := .root -}}
{{- $fullname := include "cityhall.fullname" $root -}}
{{- $list := list -}}
{{- range $name, $entry := $root.Values.services -}}
{{- if not (regexMatch "^[a-z][a-z0-9]*(-[a-z0-9]+)*$" $name) -}}
{{- fail (printf "services.%s: a service name is lower-case letters, digits and dashes" $name) -}}
{{- end -}}
{{- $s := deepCopy $root.Values.serviceDefaults -}}
{{- $_ := include "cityhall.deepMerge" (dict "dst" $s "src" (deepCopy $entry)) -}}
{{- if $s.enabled -}}
{{- if not (has $s.kind (list "grpc" "gateway")) -}}
{{- fail (printf "services.%s.kind: %q is not grpc or gateway" $name $s.kind) -}}
{{- end -}}
{{- $_ := set $s "name" $name -}}
{{- $_ := set $s "fullname" (printf "%s-%s" $fullname $name) -}}
{{- $_ := set $s "envPrefix" ($s.envPrefix | default (printf "%s_" ($name | upper | replace "-" "_"))) -}}
{{- $repo := $s.image.repository | default $name -}}
{{- if $root.Values.image.registry -}}
{{- $repo = printf "%s/%s" (trimSuffix "/" $root.Values.image.registry) $repo -}}
{{- end -}}
{{- $tag := $s.image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion | toString -}}
{{- if or (eq $tag "latest") (eq $tag "") -}}
{{- fail (printf "services.%s: the image tag must be a release, not %q" $name $tag) -}}
{{- end -}}
{{- $_ := set $s "imageRef" (printf "%s:%s" $repo $tag) -}}
{{- $_ := set $s "serviceAccount" (printf "%s-%s" $fullname $name) -}}
{{- $_ := set $s "configMap" (printf "%s-%s" $fullname $name) -}}
{{- $_ := set $s "dbName" ($s.database.name | default ($name | replace "-" "_")) -}}
{{- if and $s.database.enabled $root.Values.postgres.cnpg.enabled -}}
{{- $_ := set $s "pgCluster" (printf "%s-%s-pg" $fullname $name) -}}
{{- $_ := set $s "dbSecretName" (printf "%s-%s-pg-app" $fullname $name) -}}
{{- $_ := set $s "dbSecretKey" "uri" -}}
{{- else -}}
{{- $_ := set $s "pgCluster" "" -}}
{{- $_ := set $s "dbSecretName" ($s.database.existingSecret | default (printf "%s-%s-db" $fullname $name)) -}}
{{- $_ := set $s "dbSecretKey" $s.database.secretKey -}}
{{- end -}}
{{- $list = append $list $s -}}
{{- end -}}
{{- end -}}
{{- $_ := set .out "services" $list -}}
{{- end -}}

{{/* The NATS URL every service uses (when NATS runs in this release). */}}
{{- define "cityhall.natsURL" -}}
{{- if .Values.nats.enabled -}}
nats://{{ include "cityhall.fullname" . }}-nats:4222
{{- else -}}
{{- .Values.nats.url -}}
{{- end -}}
{{- end -}}

{{/* Probes of a service: its overrides, else the defaults of its kind. Call with (dict "s" $s). */}}
{{- define "cityhall.probes" -}}
{{- $s := .s -}}
{{- $p := $s.probes -}}
{{- if eq $s.kind "gateway" }}
startupProbe:
  {{- if hasKey $p "startup" }}
  {{- toYaml $p.startup | nindent 2 }}
  {{- else }}
  httpGet: {path: /healthz, port: http}
  periodSeconds: 2
  failureThreshold: 30
  timeoutSeconds: 2
  {{- end }}
livenessProbe:
  {{- if hasKey $p "liveness" }}
  {{- toYaml $p.liveness | nindent 2 }}
  {{- else }}
  httpGet: {path: /healthz, port: http}
  periodSeconds: 10
  failureThreshold: 3
  timeoutSeconds: 2
  {{- end }}
readinessProbe:
  {{- if hasKey $p "readiness" }}
  {{- toYaml $p.readiness | nindent 2 }}
  {{- else }}
  # /healthz, not /readyz: /readyz is NOT ready while any one backend is down, and as a readiness
  # probe that would take every gateway pod out of the Service, i.e. the web application and all
  # other APIs with it. Calls to a missing backend fail on their own (503); alert on /readyz.
  httpGet: {path: /healthz, port: http}
  periodSeconds: 5
  failureThreshold: 2
  timeoutSeconds: 2
  {{- end }}
{{- else }}
startupProbe:
  {{- if hasKey $p "startup" }}
  {{- toYaml $p.startup | nindent 2 }}
  {{- else }}
  # Listening means: migrated, connected to PostgreSQL and NATS, streams ensured.
  tcpSocket: {port: grpc}
  periodSeconds: 5
  failureThreshold: 60
  timeoutSeconds: 2
  {{- end }}
livenessProbe:
  {{- if hasKey $p "liveness" }}
  {{- toYaml $p.liveness | nindent 2 }}
  {{- else }}
  # TCP, not gRPC health: the health service reports NOT_SERVING until the directory copy is
  # filled (e.g. while planning is down), and restarting the pod would not help that.
  tcpSocket: {port: grpc}
  periodSeconds: 10
  failureThreshold: 3
  timeoutSeconds: 2
  {{- end }}
readinessProbe:
  {{- if hasKey $p "readiness" }}
  {{- toYaml $p.readiness | nindent 2 }}
  {{- else }}
  grpc: {port: {{ $s.port | int }}}
  periodSeconds: 5
  failureThreshold: 2
  timeoutSeconds: 2
  {{- end }}
{{- end }}
{{- end -}}

{{/* Pod-level security context of every Cityhall pod (the distroless "nonroot" user). */}}
{{- define "cityhall.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container security context: non-root, read-only root file system, no capabilities. */}}
{{- define "cityhall.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment of a grpc service that comes from Secrets. Call with (dict "root" $ "s" $s). */}}
{{- define "cityhall.secretEnv" -}}
{{- $root := .root -}}
{{- $s := .s -}}
{{- $p := $s.envPrefix -}}
{{- if $s.database.enabled }}
- name: {{ $p }}DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ $s.dbSecretName }}, key: {{ $s.dbSecretKey }}}
{{- end }}
{{- if and $s.nats (not $root.Values.nats.enabled) $root.Values.nats.existingSecret }}
- name: {{ $p }}NATS_URL
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.nats.existingSecret }}, key: {{ $root.Values.nats.existingSecretKey }}}
{{- end }}
{{- if $s.oidc }}
- name: {{ $p }}OIDC_ISSUER
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.oidc.existingSecret }}, key: {{ $root.Values.oidc.issuerKey }}}
- name: {{ $p }}OIDC_AUDIENCE
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.oidc.existingSecret }}, key: {{ $root.Values.oidc.audienceKey }}, optional: true}
- name: {{ $p }}OIDC_JWKS_URL
  valueFrom:
    secretKeyRef: {name: {{ $root.Values.oidc.existingSecret }}, key: {{ $root.Values.oidc.jwksURLKey }}, optional: true}
{{- end }}
{{- range $var, $ref := $s.extraSecretEnv }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef: {name: {{ $ref.name }}, key: {{ $ref.key }}}
{{- end }}
{{- end -}}
