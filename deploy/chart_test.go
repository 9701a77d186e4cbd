package deploy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

const productionValues = chartDir + "/values-production.yaml"

// grpcServices are the domain services of the default values (kind grpc, each with a database).
var grpcServices = []string{"appeals", "outreach", "planning"}

func TestChartDefaultValues(t *testing.T) {
	r := render(t, nil, nil)
	checkInvariants(t, r)

	if got := mapsKeys(r.Deployments); !slices.Equal(got, []string{"cityhall-appeals", "cityhall-gateway", "cityhall-outreach", "cityhall-planning"}) {
		t.Errorf("Deployments = %v", got)
	}
	for name, d := range r.Deployments {
		if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
			t.Errorf("%s: replicas = %v, want 2 (HPA off)", name, d.Spec.Replicas)
		}
	}
	if len(r.HPAs) != 0 {
		t.Errorf("HPAs rendered with autoscaling off: %v", mapsKeys(r.HPAs))
	}
	if len(r.Clusters) != 0 || len(r.Ingresses) != 0 {
		t.Errorf("CNPG clusters %v / Ingresses %v rendered while disabled", mapsKeys(r.Clusters), mapsKeys(r.Ingresses))
	}
	nats := r.StatefulSets["cityhall-nats"]
	if nats == nil || *nats.Spec.Replicas != 1 {
		t.Fatalf("NATS StatefulSet missing or not 1 replica: %+v", nats)
	}
	// External databases: the URL comes from "<fullname>-<service>-db", key url.
	for _, svc := range grpcServices {
		ref := secretRef(t, r.Deployments["cityhall-"+svc], strings.ToUpper(svc)+"_DATABASE_URL")
		if ref.Name != "cityhall-"+svc+"-db" || ref.Key != "url" {
			t.Errorf("%s DATABASE_URL from %s/%s, want cityhall-%s-db/url", svc, ref.Name, ref.Key, svc)
		}
	}
}

func TestChartProductionValues(t *testing.T) {
	r := render(t, []string{productionValues}, nil)
	checkInvariants(t, r)

	for name, d := range r.Deployments {
		if d.Spec.Replicas != nil {
			t.Errorf("%s: replicas set (%d) while its HPA owns the count", name, *d.Spec.Replicas)
		}
		hpa := r.HPAs[name]
		if hpa == nil {
			t.Errorf("%s: no HorizontalPodAutoscaler", name)
			continue
		}
		if *hpa.Spec.MinReplicas != 3 || hpa.Spec.MaxReplicas < 3 {
			t.Errorf("%s: HPA %d..%d, want at least 3", name, *hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
		}
	}

	nats := r.StatefulSets["cityhall-nats"]
	if nats == nil || *nats.Spec.Replicas != 3 {
		t.Fatalf("NATS StatefulSet missing or not 3 replicas")
	}
	opts := natsOptions(t, r)
	if !opts.JetStream || !opts.SyncAlways || opts.StoreDir != "/data" {
		t.Errorf("nats.conf: jetstream=%v sync always=%v store=%q", opts.JetStream, opts.SyncAlways, opts.StoreDir)
	}
	if len(opts.Routes) != 3 || opts.Cluster.Port != 6222 {
		t.Errorf("nats.conf: %d routes on cluster port %d, want 3 on 6222", len(opts.Routes), opts.Cluster.Port)
	}

	for _, svc := range grpcServices {
		c := r.Clusters["cityhall-"+svc+"-pg"]
		if c == nil {
			t.Errorf("no CloudNativePG Cluster for %s", svc)
			continue
		}
		if c.Spec.Instances != 3 || c.Spec.Bootstrap == nil || c.Spec.Bootstrap.InitDB == nil ||
			c.Spec.Bootstrap.InitDB.Database != svc || c.Spec.WalStorage == nil {
			t.Errorf("%s: Cluster spec %+v", c.Name, c.Spec)
		}
		ref := secretRef(t, r.Deployments["cityhall-"+svc], strings.ToUpper(svc)+"_DATABASE_URL")
		if ref.Name != c.Name+"-app" || ref.Key != "uri" {
			t.Errorf("%s DATABASE_URL from %s/%s, want the operator's %s-app/uri", svc, ref.Name, ref.Key, c.Name)
		}
		if !egressTo(r.Policies["cityhall-"+svc], map[string]string{"cnpg.io/cluster": c.Name}, 5432) {
			t.Errorf("%s: NetworkPolicy has no egress to its CNPG cluster on 5432", svc)
		}
	}
	if len(r.Clusters) != len(grpcServices) {
		t.Errorf("CNPG clusters %v, want one per database", mapsKeys(r.Clusters))
	}

	ing := r.Ingresses["cityhall-gateway"]
	if ing == nil || len(ing.Spec.TLS) != 1 || ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service.Name != "cityhall-gateway" {
		t.Fatalf("Ingress to the gateway missing or without TLS: %+v", ing)
	}
}

// A new service is one values entry: everything per service follows, and the gateway learns
// its address.
func TestChartNewServiceIsAValuesEntry(t *testing.T) {
	add := map[string]any{"services": map[string]any{"elections": map[string]any{"port": 9093}}}
	for _, files := range [][]string{nil, {productionValues}} {
		r := render(t, files, add)
		checkInvariants(t, r)
		const name = "cityhall-elections"
		if r.Deployments[name] == nil || r.Services[name] == nil || r.PDBs[name] == nil ||
			r.Policies[name] == nil || r.Accounts[name] == nil || r.ConfigMaps[name] == nil {
			t.Fatalf("elections: not every per-service object was rendered")
		}
		if got := r.ConfigMaps[name].Data["ELECTIONS_GRPC_ADDR"]; got != ":9093" {
			t.Errorf("ELECTIONS_GRPC_ADDR = %q", got)
		}
		if got := r.ConfigMaps["cityhall-gateway"].Data["GATEWAY_ELECTIONS_ADDR"]; got != "cityhall-elections:9093" {
			t.Errorf("GATEWAY_ELECTIONS_ADDR = %q", got)
		}
		if files != nil && (r.Clusters["cityhall-elections-pg"] == nil || r.HPAs[name] == nil) {
			t.Errorf("production: elections has no CNPG cluster or HPA")
		}
	}
}

// The values every operator gets wrong once must fail at install, not at run time.
func TestChartRejectsBadValues(t *testing.T) {
	cases := []struct {
		name      string
		overrides map[string]any
		want      string
	}{
		{"latest tag", map[string]any{"image": map[string]any{"tag": "latest"}}, "image"},
		{"latest tag of a service", map[string]any{"services": map[string]any{"appeals": map[string]any{"image": map[string]any{"tag": "latest"}}}}, "image/tag"},
		{"misspelt service key", map[string]any{"services": map[string]any{"appeals": map[string]any{"replica": 3}}}, "replica"},
		{"unknown kind", map[string]any{"services": map[string]any{"appeals": map[string]any{"kind": "http"}}}, "kind"},
		{"bad service name", map[string]any{"services": map[string]any{"Bad_Name": map[string]any{"port": 9100}}}, "Bad_Name"},
		{"two NATS servers", map[string]any{"nats": map[string]any{"replicas": 2}}, "at least 3"},
		{"external NATS without URL", map[string]any{"nats": map[string]any{"enabled": false}}, "nats.url"},
		{"HPA min above max", map[string]any{"serviceDefaults": map[string]any{"hpa": map[string]any{"enabled": true, "minReplicas": 5, "maxReplicas": 2}}}, "minReplicas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := renderValues(t, nil, c.overrides)
			if err == nil {
				t.Fatal("rendered without error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error does not mention %q: %v", c.want, err)
			}
		})
	}
}

// Every service of the default values has a command to build its image from
// (deploy/docker/Dockerfile --build-arg SERVICE=<name>).
func TestServicesHaveCommands(t *testing.T) {
	r := render(t, nil, nil)
	for _, d := range r.Deployments {
		svc := d.Spec.Template.Labels["app.kubernetes.io/name"]
		found := false
		for _, dir := range []string{"../services/" + svc + "/cmd/" + svc, "../" + svc + "/cmd/" + svc} {
			if st, err := os.Stat(dir); err == nil && st.IsDir() {
				found = true
			}
		}
		if !found {
			t.Errorf("service %s: no services/%[1]s/cmd/%[1]s or %[1]s/cmd/%[1]s to build its image from", svc)
		}
	}
}

func policiesOn(r *rendered) bool {
	np, _ := r.Values["networkPolicy"].(map[string]any)
	on, _ := np["enabled"].(bool)
	return on
}

// Other supported shapes render valid manifests too.
func TestChartVariants(t *testing.T) {
	cases := map[string]map[string]any{
		"external NATS from a Secret, no policies": {
			"nats":          map[string]any{"enabled": false, "existingSecret": "cityhall-nats", "existingSecretKey": "url"},
			"networkPolicy": map[string]any{"enabled": false},
		},
		"external NATS by URL, ingress without TLS, telemetry": {
			"nats":    map[string]any{"enabled": false, "url": "nats://nats.messaging:4222"},
			"ingress": map[string]any{"enabled": true, "tls": map[string]any{"enabled": false}},
			"otel":    map[string]any{"endpoint": "http://otel-collector.observability:4317"},
		},
		"renamed, one service off, no SPA config, probes overridden": {
			"fullnameOverride": "ch",
			"spa":              map[string]any{"enabled": false},
			"services": map[string]any{
				"planning": map[string]any{"enabled": false},
				"appeals": map[string]any{
					"probes":         map[string]any{"liveness": map[string]any{"grpc": map[string]any{"port": 9090}, "periodSeconds": 20}},
					"extraSecretEnv": map[string]any{"APPEALS_EXTRA_TOKEN": map[string]any{"name": "appeals-extra", "key": "token"}},
					"database":       map[string]any{"existingSecret": "appeals-pg", "secretKey": "dsn"},
				},
			},
		},
	}
	for name, overrides := range cases {
		t.Run(name, func(t *testing.T) {
			r := render(t, nil, overrides)
			checkInvariants(t, r)
			if len(r.StatefulSets) == 0 {
				if !strings.HasPrefix(r.ConfigMaps["cityhall-appeals"].Data["APPEALS_NATS_URL"], "nats://nats.messaging") &&
					secretRef(t, r.Deployments["cityhall-appeals"], "APPEALS_NATS_URL").Name != "cityhall-nats" {
					t.Errorf("external NATS URL not passed on")
				}
			}
		})
	}
}

// checkInvariants asserts what operators rely on, for any values.
func checkInvariants(t *testing.T, r *rendered) {
	t.Helper()
	for _, m := range r.Manifests {
		meta := objectMeta(m.Obj)
		if errs := validation.IsDNS1123Subdomain(meta.Name); len(errs) > 0 {
			t.Errorf("%s %s: name: %v", m.Kind, m.Name, errs)
		}
		for k, v := range meta.Labels {
			if errs := append(validation.IsQualifiedName(k), validation.IsValidLabelValue(v)...); len(errs) > 0 {
				t.Errorf("%s %s: label %s=%s: %v", m.Kind, m.Name, k, v, errs)
			}
		}
	}
	for name, s := range r.Services {
		if errs := validation.IsDNS1035Label(name); len(errs) > 0 {
			t.Errorf("Service %s: name: %v", name, errs)
		}
		checkServiceSelects(t, r, s)
	}
	for name, cm := range r.ConfigMaps {
		for k, v := range cm.Data {
			if errs := validation.IsConfigMapKey(k); len(errs) > 0 {
				t.Errorf("ConfigMap %s: key %s: %v", name, k, errs)
			}
			checkNotSecret(t, "ConfigMap "+name+" "+k, k, v)
		}
	}
	for name, d := range r.Deployments {
		checkDeployment(t, r, name, d)
	}
	for name, s := range r.StatefulSets {
		checkPodSecurity(t, "StatefulSet "+name, &s.Spec.Template.Spec)
		if !labels.SelectorFromSet(s.Spec.Selector.MatchLabels).Matches(labels.Set(s.Spec.Template.Labels)) {
			t.Errorf("StatefulSet %s: selector does not match its pod labels", name)
		}
		if r.PDBs[name] == nil || (policiesOn(r) && r.Policies[name] == nil) {
			t.Errorf("StatefulSet %s: no PodDisruptionBudget or NetworkPolicy", name)
		}
	}
	for name, hpa := range r.HPAs {
		if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || r.Deployments[ref.Name] == nil {
			t.Errorf("HPA %s scales %s/%s, which is not rendered", name, ref.Kind, ref.Name)
		}
	}
	for name, p := range r.Policies {
		if !slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			t.Errorf("NetworkPolicy %s: policyTypes %v, want Ingress and Egress", name, p.Spec.PolicyTypes)
		}
		if !allowsDNS(p) {
			t.Errorf("NetworkPolicy %s: no egress to DNS on 53/UDP and 53/TCP", name)
		}
	}
	for name, d := range r.Deployments {
		if d.Labels["app.kubernetes.io/component"] == "gateway" {
			checkGatewayBackends(t, r, r.ConfigMaps[name])
		}
	}
}

func checkDeployment(t *testing.T, r *rendered, name string, d *appsv1.Deployment) {
	t.Helper()
	what := "Deployment " + name
	pod := &d.Spec.Template.Spec
	podLabels := labels.Set(d.Spec.Template.Labels)
	svc := podLabels["app.kubernetes.io/name"]
	if !labels.SelectorFromSet(d.Spec.Selector.MatchLabels).Matches(podLabels) {
		t.Errorf("%s: selector does not match its pod labels", what)
	}
	checkPodSecurity(t, what, pod)

	sa := r.Accounts[pod.ServiceAccountName]
	if sa == nil || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("%s: ServiceAccount %q missing or mounting its token", what, pod.ServiceAccountName)
	}

	if len(pod.Containers) != 1 {
		t.Fatalf("%s: %d containers, want 1", what, len(pod.Containers))
	}
	c := pod.Containers[0]
	for _, p := range []struct {
		kind  string
		probe *corev1.Probe
	}{{"startup", c.StartupProbe}, {"liveness", c.LivenessProbe}, {"readiness", c.ReadinessProbe}} {
		checkProbe(t, what+" "+p.kind+" probe", c, p.probe)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("%s: resources %v: want cpu and memory requests and a memory limit", what, c.Resources)
	}
	if pod.TerminationGracePeriodSeconds == nil || *pod.TerminationGracePeriodSeconds < 25 {
		t.Errorf("%s: terminationGracePeriodSeconds below the drain time", what)
	}
	if len(pod.TopologySpreadConstraints) == 0 {
		t.Errorf("%s: no topology spread", what)
	}
	for _, tsc := range pod.TopologySpreadConstraints {
		sel, err := metav1.LabelSelectorAsSelector(tsc.LabelSelector)
		if err != nil || !sel.Matches(podLabels) {
			t.Errorf("%s: topology spread on %s does not select its own pods", what, tsc.TopologyKey)
		}
	}
	checkEnvSources(t, r, what, pod)

	isGRPC := d.Labels["app.kubernetes.io/component"] == "grpc"
	if !isGRPC {
		if got := r.ConfigMaps[name].Data["GATEWAY_ADDR"]; got != fmt.Sprintf(":%d", c.Ports[0].ContainerPort) {
			t.Errorf("%s: GATEWAY_ADDR = %q, want :%d (all interfaces)", what, got, c.Ports[0].ContainerPort)
		}
	}
	if isGRPC {
		prefix := strings.ToUpper(strings.ReplaceAll(svc, "-", "_")) + "_"
		port := c.Ports[0].ContainerPort
		if got := r.ConfigMaps[name].Data[prefix+"GRPC_ADDR"]; got != fmt.Sprintf(":%d", port) {
			t.Errorf("%s: %sGRPC_ADDR = %q, want :%d (all interfaces)", what, prefix, got, port)
		}
		for _, v := range []string{"DATABASE_URL", "OIDC_ISSUER"} {
			secretRef(t, d, prefix+v)
		}
		if !strings.HasPrefix(r.ConfigMaps[name].Data[prefix+"NATS_URL"], "nats://") && !hasEnv(c, prefix+"NATS_URL") {
			t.Errorf("%s: no %sNATS_URL (without it the service would start an embedded, unreplicated NATS)", what, prefix)
		}
		if policiesOn(r) && len(r.StatefulSets) > 0 && !egressTo(r.Policies[name], map[string]string{"app.kubernetes.io/name": "nats", "app.kubernetes.io/instance": release}, 4222) {
			t.Errorf("%s: no egress to NATS on 4222", what)
		}
		if len(pod.InitContainers) != 1 || pod.InitContainers[0].Name != "migrate" ||
			!slices.Equal(pod.InitContainers[0].Args, []string{"migrate"}) || pod.InitContainers[0].Image != c.Image {
			t.Errorf("%s: want one initContainer running %q migrate with the service's image, got %+v", what, svc, pod.InitContainers)
		}
	}

	if r.PDBs[name] == nil {
		t.Errorf("%s: no PodDisruptionBudget", what)
	} else if sel, err := metav1.LabelSelectorAsSelector(r.PDBs[name].Spec.Selector); err != nil || !sel.Matches(podLabels) {
		t.Errorf("%s: its PodDisruptionBudget does not select its pods", what)
	}
	hpaOn := d.Spec.Replicas == nil
	if hpaOn != (r.HPAs[name] != nil) {
		t.Errorf("%s: replicas %v but HPA present = %v", what, d.Spec.Replicas, r.HPAs[name] != nil)
	}
	p := r.Policies[name]
	if p == nil {
		if policiesOn(r) {
			t.Errorf("%s: no NetworkPolicy", what)
		}
	} else if sel, err := metav1.LabelSelectorAsSelector(&p.Spec.PodSelector); err != nil || !sel.Matches(podLabels) {
		t.Errorf("%s: its NetworkPolicy does not select its pods", what)
	} else if isGRPC {
		// Only the gateway and the other services may call it.
		for _, rule := range p.Spec.Ingress {
			for _, peer := range rule.From {
				if peer.PodSelector == nil || peer.NamespaceSelector != nil || peer.IPBlock != nil {
					t.Errorf("%s: ingress from %+v, want only Cityhall pods", what, peer)
				}
			}
		}
		if !ingressFrom(p, map[string]string{"app.kubernetes.io/name": "gateway", "app.kubernetes.io/instance": release}) {
			t.Errorf("%s: the gateway may not call it", what)
		}
	}
	if r.Services[name] == nil {
		t.Errorf("%s: no Service", what)
	}
}

func checkPodSecurity(t *testing.T, what string, pod *corev1.PodSpec) {
	t.Helper()
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: pod securityContext %+v: want runAsNonRoot, a non-zero runAsUser, seccomp RuntimeDefault", what, psc)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("%s: automountServiceAccountToken is not false", what)
	}
	for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
		cw := what + " container " + c.Name
		sc := c.SecurityContext
		if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation || (sc.Privileged != nil && *sc.Privileged) ||
			sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 ||
			sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: securityContext %+v: want non-root, read-only root, no privilege escalation, drop ALL, seccomp RuntimeDefault", cw, sc)
		}
		checkImage(t, cw, c.Image)
		if c.ImagePullPolicy == "" {
			t.Errorf("%s: no imagePullPolicy", cw)
		}
		if c.Resources.Limits.Memory().IsZero() {
			t.Errorf("%s: no memory limit", cw)
		}
		for _, e := range c.Env {
			if errs := validation.IsEnvVarName(e.Name); len(errs) > 0 {
				t.Errorf("%s: env %s: %v", cw, e.Name, errs)
			}
			checkNotSecret(t, cw+" env "+e.Name, e.Name, e.Value)
		}
	}
}

var imageRef = regexp.MustCompile(`^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$`)

// checkImage: an explicit tag that is not "latest".
func checkImage(t *testing.T, what, image string) {
	t.Helper()
	m := imageRef.FindStringSubmatch(image)
	if m == nil {
		t.Errorf("%s: image %q is not <repository>:<tag>", what, image)
	} else if m[3] == "latest" {
		t.Errorf("%s: image %q uses the latest tag", what, image)
	}
}

// Names and values that are credentials must come from Secrets.
var (
	secretName     = regexp.MustCompile(`(?i)(PASSWORD|SECRET|TOKEN|CREDENTIAL|DATABASE_URL|PRIVATE_KEY)`)
	urlWithUserPwd = regexp.MustCompile(`[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`)
)

func checkNotSecret(t *testing.T, what, name, value string) {
	t.Helper()
	if value == "" {
		return
	}
	if secretName.MatchString(name) {
		t.Errorf("%s: a credential inlined as a plain value; reference a Secret", what)
	}
	if urlWithUserPwd.MatchString(value) {
		t.Errorf("%s: a URL with a password inlined; reference a Secret", what)
	}
}

func checkProbe(t *testing.T, what string, c corev1.Container, p *corev1.Probe) {
	t.Helper()
	if p == nil {
		t.Errorf("%s: missing", what)
		return
	}
	h := p.ProbeHandler
	n := 0
	for _, set := range []bool{h.Exec != nil, h.HTTPGet != nil, h.TCPSocket != nil, h.GRPC != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s: %d handlers, want exactly one", what, n)
		return
	}
	switch {
	case h.GRPC != nil:
		if !hasPort(c, intstr.FromInt32(h.GRPC.Port)) {
			t.Errorf("%s: gRPC port %d is not a container port", what, h.GRPC.Port)
		}
	case h.HTTPGet != nil:
		if !hasPort(c, h.HTTPGet.Port) {
			t.Errorf("%s: port %s is not a container port", what, h.HTTPGet.Port.String())
		}
	case h.TCPSocket != nil:
		if !hasPort(c, h.TCPSocket.Port) {
			t.Errorf("%s: port %s is not a container port", what, h.TCPSocket.Port.String())
		}
	}
}

func hasEnv(c corev1.Container, name string) bool {
	return slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == name })
}

func hasPort(c corev1.Container, port intstr.IntOrString) bool {
	for _, p := range c.Ports {
		if (port.Type == intstr.String && p.Name == port.StrVal) || (port.Type == intstr.Int && p.ContainerPort == port.IntVal) {
			return true
		}
	}
	return false
}

// checkEnvSources: every ConfigMap and Secret reference points at something that exists (the
// chart's ConfigMaps) or is a secretKeyRef (the operator's Secrets).
func checkEnvSources(t *testing.T, r *rendered, what string, pod *corev1.PodSpec) {
	t.Helper()
	for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
		for _, ef := range c.EnvFrom {
			if ef.SecretRef != nil {
				t.Errorf("%s container %s: envFrom a whole Secret; reference keys", what, c.Name)
			}
			if ef.ConfigMapRef != nil && r.ConfigMaps[ef.ConfigMapRef.Name] == nil {
				t.Errorf("%s container %s: envFrom ConfigMap %s is not rendered", what, c.Name, ef.ConfigMapRef.Name)
			}
		}
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && (e.ValueFrom.SecretKeyRef.Name == "" || e.ValueFrom.SecretKeyRef.Key == "") {
				t.Errorf("%s container %s: env %s: secretKeyRef without name or key", what, c.Name, e.Name)
			}
		}
	}
	for _, v := range pod.Volumes {
		if v.ConfigMap != nil && r.ConfigMaps[v.ConfigMap.Name] == nil {
			t.Errorf("%s: volume %s: ConfigMap %s is not rendered", what, v.Name, v.ConfigMap.Name)
		}
		if v.Secret != nil {
			t.Errorf("%s: volume %s mounts a Secret; the chart uses secretKeyRef only", what, v.Name)
		}
	}
}

// secretRef returns the secretKeyRef of env variable name in the Deployment's main container.
func secretRef(t *testing.T, d *appsv1.Deployment, name string) *corev1.SecretKeySelector {
	t.Helper()
	if d == nil {
		t.Fatalf("no Deployment for %s", name)
	}
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		if e.Name == name {
			if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				t.Fatalf("%s: %s is not a secretKeyRef", d.Name, name)
			}
			return e.ValueFrom.SecretKeyRef
		}
	}
	t.Fatalf("%s: no env %s", d.Name, name)
	return nil
}

// checkServiceSelects: the Service selects exactly one workload's pods and targets a port they have.
func checkServiceSelects(t *testing.T, r *rendered, s *corev1.Service) {
	t.Helper()
	if len(s.Spec.Selector) == 0 {
		t.Errorf("Service %s: no selector", s.Name)
		return
	}
	sel := labels.SelectorFromSet(s.Spec.Selector)
	var pods []corev1.PodTemplateSpec
	for _, d := range r.Deployments {
		if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			pods = append(pods, d.Spec.Template)
		}
	}
	for _, st := range r.StatefulSets {
		if sel.Matches(labels.Set(st.Spec.Template.Labels)) {
			pods = append(pods, st.Spec.Template)
		}
	}
	if len(pods) != 1 {
		t.Errorf("Service %s selects %d workloads, want 1", s.Name, len(pods))
		return
	}
	for _, p := range s.Spec.Ports {
		if !hasPort(pods[0].Spec.Containers[0], p.TargetPort) {
			t.Errorf("Service %s: targetPort %s is not a port of its pods", s.Name, p.TargetPort.String())
		}
	}
}

// checkGatewayBackends: the gateway has an address for every grpc service, and it is that
// service's Service and port.
func checkGatewayBackends(t *testing.T, r *rendered, gw *corev1.ConfigMap) {
	t.Helper()
	for name, d := range r.Deployments {
		if d.Labels["app.kubernetes.io/component"] != "grpc" {
			continue
		}
		svc := d.Spec.Template.Labels["app.kubernetes.io/name"]
		key := "GATEWAY_" + strings.ToUpper(strings.ReplaceAll(svc, "-", "_")) + "_ADDR"
		want := fmt.Sprintf("%s:%d", name, r.Services[name].Spec.Ports[0].Port)
		if gw.Data[key] != want {
			t.Errorf("gateway %s = %q, want %q", key, gw.Data[key], want)
		}
	}
}

func ingressFrom(p *networkingv1.NetworkPolicy, podLabels map[string]string) bool {
	for _, rule := range p.Spec.Ingress {
		for _, peer := range rule.From {
			if peer.PodSelector != nil && peer.NamespaceSelector == nil {
				if sel, err := metav1.LabelSelectorAsSelector(peer.PodSelector); err == nil && sel.Matches(labels.Set(podLabels)) {
					return true
				}
			}
		}
	}
	return false
}

func egressTo(p *networkingv1.NetworkPolicy, podLabels map[string]string, port int32) bool {
	if p == nil {
		return false
	}
	for _, rule := range p.Spec.Egress {
		portOK := false
		for _, rp := range rule.Ports {
			if rp.Port != nil && rp.Port.IntVal == port {
				portOK = true
			}
		}
		if !portOK {
			continue
		}
		for _, peer := range rule.To {
			if peer.PodSelector != nil {
				if sel, err := metav1.LabelSelectorAsSelector(peer.PodSelector); err == nil && sel.Matches(labels.Set(podLabels)) {
					return true
				}
			}
		}
	}
	return false
}

// allowsDNS: egress to port 53 over both UDP and TCP (large answers fall back to TCP).
func allowsDNS(p *networkingv1.NetworkPolicy) bool {
	protos := map[corev1.Protocol]bool{}
	for _, rule := range p.Spec.Egress {
		for _, rp := range rule.Ports {
			if rp.Port != nil && rp.Port.IntVal == 53 && rp.Protocol != nil {
				protos[*rp.Protocol] = true
			}
		}
	}
	return protos[corev1.ProtocolUDP] && protos[corev1.ProtocolTCP]
}

// natsOptions parses the rendered nats.conf with nats-server's own configuration loader.
func natsOptions(t *testing.T, r *rendered) *server.Options {
	t.Helper()
	cm := r.ConfigMaps["cityhall-nats"]
	if cm == nil {
		t.Fatal("no cityhall-nats ConfigMap")
	}
	conf := cm.Data["nats.conf"]
	if !strings.Contains(conf, "sync_interval: always") {
		t.Errorf("nats.conf without sync_interval: always")
	}
	path := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVER_NAME", "cityhall-nats-0")
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("nats.conf: %v\n%s", err, numbered(conf))
	}
	if opts.ServerName != "cityhall-nats-0" {
		t.Errorf("nats.conf: server_name = %q, want it from $SERVER_NAME", opts.ServerName)
	}
	return opts
}

func TestNATSConfigDefault(t *testing.T) {
	opts := natsOptions(t, render(t, nil, nil))
	if !opts.JetStream || !opts.SyncAlways || len(opts.Routes) != 0 {
		t.Errorf("single server: jetstream=%v sync always=%v routes=%d", opts.JetStream, opts.SyncAlways, len(opts.Routes))
	}
}

func objectMeta(obj any) metav1.ObjectMeta {
	type metaObject interface{ GetObjectMeta() metav1.Object }
	if o, ok := obj.(metaObject); ok {
		m := o.GetObjectMeta()
		return metav1.ObjectMeta{Name: m.GetName(), Labels: m.GetLabels()}
	}
	if c, ok := obj.(*cnpgCluster); ok {
		return c.ObjectMeta
	}
	panic(fmt.Sprintf("no metadata in %T", obj))
}

func mapsKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
