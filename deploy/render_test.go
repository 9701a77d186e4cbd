package deploy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

const (
	chartDir  = "helm/cityhall"
	release   = "cityhall"
	namespace = "cityhall"
)

// manifest is one rendered YAML document, strictly decoded into its Kubernetes type.
type manifest struct {
	File string // the template it came from
	Kind string // "apps/v1 Deployment"
	Name string
	Obj  any // *appsv1.Deployment, ..., *cnpgCluster
}

// rendered is the chart rendered for one set of values, indexed by kind and name.
type rendered struct {
	Values       map[string]any
	Manifests    []manifest
	Deployments  map[string]*appsv1.Deployment
	StatefulSets map[string]*appsv1.StatefulSet
	Services     map[string]*corev1.Service
	ConfigMaps   map[string]*corev1.ConfigMap
	Accounts     map[string]*corev1.ServiceAccount
	HPAs         map[string]*autoscalingv2.HorizontalPodAutoscaler
	PDBs         map[string]*policyv1.PodDisruptionBudget
	Policies     map[string]*networkingv1.NetworkPolicy
	Ingresses    map[string]*networkingv1.Ingress
	Clusters     map[string]*cnpgCluster
}

var loadedChart *chartv2.Chart

func loadChart(t *testing.T) *chartv2.Chart {
	t.Helper()
	if loadedChart == nil {
		ch, err := loader.Load(chartDir)
		if err != nil {
			t.Fatalf("load chart: %v", err)
		}
		loadedChart = ch
	}
	return loadedChart
}

// renderValues renders the chart as `helm template --strict` would with -f for each values file,
// in order, then overrides (a values tree, like --set). Schema validation is on.
func renderValues(t *testing.T, files []string, overrides map[string]any) (map[string]string, map[string]any, error) {
	t.Helper()
	ch := loadChart(t)
	vals := map[string]any{}
	for _, f := range files {
		v, err := common.ReadValuesFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		vals = util.MergeTables(v.AsMap(), vals) // later files win
	}
	if overrides != nil {
		vals = util.MergeTables(deepCopyMap(overrides), vals)
	}
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals,
		common.ReleaseOptions{Name: release, Namespace: namespace, IsInstall: true, Revision: 1}, nil, false)
	if err != nil {
		return nil, nil, err
	}
	out, err := engine.Engine{Strict: true}.RenderWithContext(t.Context(), ch, top)
	if err != nil {
		return nil, nil, err
	}
	coalesced, _ := top["Values"].(common.Values)
	return out, coalesced.AsMap(), nil
}

func deepCopyMap(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// render renders and decodes; any error fails the test.
func render(t *testing.T, files []string, overrides map[string]any) *rendered {
	t.Helper()
	out, vals, err := renderValues(t, files, overrides)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	if dir := os.Getenv("DEPLOY_RENDER_DIR"); dir != "" {
		dumpRendered(t, dir, out)
	}
	r := &rendered{
		Values:       vals,
		Deployments:  map[string]*appsv1.Deployment{},
		StatefulSets: map[string]*appsv1.StatefulSet{},
		Services:     map[string]*corev1.Service{},
		ConfigMaps:   map[string]*corev1.ConfigMap{},
		Accounts:     map[string]*corev1.ServiceAccount{},
		HPAs:         map[string]*autoscalingv2.HorizontalPodAutoscaler{},
		PDBs:         map[string]*policyv1.PodDisruptionBudget{},
		Policies:     map[string]*networkingv1.NetworkPolicy{},
		Ingresses:    map[string]*networkingv1.Ingress{},
		Clusters:     map[string]*cnpgCluster{},
	}
	files2 := make([]string, 0, len(out))
	for f := range out {
		files2 = append(files2, f)
	}
	sort.Strings(files2)
	seen := map[string]bool{}
	for _, file := range files2 {
		if !strings.HasSuffix(file, ".yaml") || strings.HasPrefix(filepath.Base(file), "_") {
			continue // NOTES.txt, helpers
		}
		for i, doc := range splitYAML(out[file]) {
			m, err := decode(doc)
			if err != nil {
				t.Fatalf("%s document %d: %v\n%s", file, i, err, numbered(doc))
			}
			m.File = file
			key := m.Kind + " " + m.Name
			if seen[key] {
				t.Fatalf("%s: %s rendered twice", file, key)
			}
			seen[key] = true
			r.Manifests = append(r.Manifests, m)
			switch o := m.Obj.(type) {
			case *appsv1.Deployment:
				r.Deployments[m.Name] = o
			case *appsv1.StatefulSet:
				r.StatefulSets[m.Name] = o
			case *corev1.Service:
				r.Services[m.Name] = o
			case *corev1.ConfigMap:
				r.ConfigMaps[m.Name] = o
			case *corev1.ServiceAccount:
				r.Accounts[m.Name] = o
			case *autoscalingv2.HorizontalPodAutoscaler:
				r.HPAs[m.Name] = o
			case *policyv1.PodDisruptionBudget:
				r.PDBs[m.Name] = o
			case *networkingv1.NetworkPolicy:
				r.Policies[m.Name] = o
			case *networkingv1.Ingress:
				r.Ingresses[m.Name] = o
			case *cnpgCluster:
				r.Clusters[m.Name] = o
			}
		}
	}
	if len(r.Manifests) == 0 {
		t.Fatal("the chart rendered nothing")
	}
	return r
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// splitYAML splits a multi-document stream, dropping documents that are empty or only comments.
func splitYAML(s string) []string {
	var docs []string
	for _, d := range docSeparator.Split(s, -1) {
		empty := true
		for _, line := range strings.Split(d, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				empty = false
				break
			}
		}
		if !empty {
			docs = append(docs, d)
		}
	}
	return docs
}

// kinds maps "apiVersion kind" to the Go type a document must decode into.
var kinds = map[string]reflect.Type{
	"v1 ConfigMap":                           reflect.TypeFor[corev1.ConfigMap](),
	"v1 Service":                             reflect.TypeFor[corev1.Service](),
	"v1 ServiceAccount":                      reflect.TypeFor[corev1.ServiceAccount](),
	"apps/v1 Deployment":                     reflect.TypeFor[appsv1.Deployment](),
	"apps/v1 StatefulSet":                    reflect.TypeFor[appsv1.StatefulSet](),
	"autoscaling/v2 HorizontalPodAutoscaler": reflect.TypeFor[autoscalingv2.HorizontalPodAutoscaler](),
	"policy/v1 PodDisruptionBudget":          reflect.TypeFor[policyv1.PodDisruptionBudget](),
	"networking.k8s.io/v1 NetworkPolicy":     reflect.TypeFor[networkingv1.NetworkPolicy](),
	"networking.k8s.io/v1 Ingress":           reflect.TypeFor[networkingv1.Ingress](),
	"postgresql.cnpg.io/v1 Cluster":          reflect.TypeFor[cnpgCluster](),
}

// decode turns one YAML document into its typed object: YAML -> JSON (duplicate keys are an
// error), then encoding/json with DisallowUnknownFields, then sigs.k8s.io/json's strict mode (the
// API server's decoder: also case-sensitive field names, so "Replicas" is not "replicas").
func decode(doc string) (manifest, error) {
	js, err := yaml.YAMLToJSONStrict([]byte(doc))
	if err != nil {
		return manifest{}, fmt.Errorf("YAML: %w", err)
	}
	var tm metav1.TypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		return manifest{}, err
	}
	key := tm.APIVersion + " " + tm.Kind
	if tm.Kind == "Secret" {
		return manifest{}, errors.New("the chart must not create Secrets: credentials are referenced, never inlined")
	}
	typ, ok := kinds[key]
	if !ok {
		return manifest{}, fmt.Errorf("unexpected kind %q", key)
	}
	obj := reflect.New(typ).Interface()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return manifest{}, fmt.Errorf("%s: %w", key, err)
	}
	if dec.More() {
		return manifest{}, fmt.Errorf("%s: trailing data", key)
	}
	strictErrs, err := kjson.UnmarshalStrict(js, reflect.New(typ).Interface())
	if err != nil {
		return manifest{}, fmt.Errorf("%s: %w", key, err)
	}
	if len(strictErrs) > 0 {
		return manifest{}, fmt.Errorf("%s: %v", key, errors.Join(strictErrs...))
	}
	name := reflect.ValueOf(obj).Elem().FieldByName("ObjectMeta").Interface().(metav1.ObjectMeta).Name
	if name == "" {
		return manifest{}, fmt.Errorf("%s without metadata.name", key)
	}
	return manifest{Kind: key, Name: name, Obj: obj}, nil
}

func numbered(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

// readFile reads a file relative to deploy/.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dumpRendered writes the rendered manifests to dir/<test name>.yaml (DEPLOY_RENDER_DIR=dir), to
// read what the chart produces without a helm binary.
func dumpRendered(t *testing.T, dir string, out map[string]string) {
	t.Helper()
	names := make([]string, 0, len(out))
	for f := range out {
		names = append(names, f)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, f := range names {
		if strings.TrimSpace(out[f]) == "" {
			continue
		}
		fmt.Fprintf(&b, "# Source: %s\n%s\n", f, out[f])
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
