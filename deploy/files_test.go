package deploy_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/nats-io/nats-server/v2/server"
)

// The compose file loads with the Compose specification's own loader (schema validation,
// interpolation, merge keys), and keeps the rules of the chart.
func TestComposeFile(t *testing.T) {
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  ".",
		ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml"}},
		Environment: types.Mapping{},
	}, loader.WithProfiles([]string{"keycloak"}), func(o *loader.Options) { o.SetProjectName("cityhall", true) })
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	want := []string{"appeals", "appeals-migrate", "gateway", "keycloak", "nats", "outreach", "outreach-migrate", "planning", "planning-migrate", "postgres"}
	if got := slices.Sorted(func(yield func(string) bool) {
		for name := range p.Services {
			if !yield(name) {
				return
			}
		}
	}); !slices.Equal(got, want) {
		t.Fatalf("services %v, want %v", got, want)
	}

	for name, s := range p.Services {
		checkImage(t, "compose service "+name, normalizeImage(s.Image))
		if s.Build == nil {
			continue
		}
		// Our images: built from the Dockerfile for the right command, run like in Kubernetes.
		svc := strings.TrimSuffix(name, "-migrate")
		if s.Build.Dockerfile != "deploy/docker/Dockerfile" || s.Build.Args["SERVICE"] == nil || *s.Build.Args["SERVICE"] != svc {
			t.Errorf("%s: build %+v, want deploy/docker/Dockerfile with SERVICE=%s", name, s.Build, svc)
		}
		if wantTarget := map[bool]string{true: "gateway", false: "service"}[svc == "gateway"]; s.Build.Target != wantTarget {
			t.Errorf("%s: build target %q, want %q", name, s.Build.Target, wantTarget)
		}
		if !s.ReadOnly || s.User != "65532:65532" || !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("%s: want read_only, user 65532, cap_drop ALL, no-new-privileges", name)
		}
		if strings.HasSuffix(name, "-migrate") {
			if !slices.Equal([]string(s.Command), []string{"migrate"}) {
				t.Errorf("%s: command %v, want [migrate]", name, s.Command)
			}
			continue
		}
		if svc == "gateway" {
			continue
		}
		prefix := strings.ToUpper(svc) + "_"
		if addr := s.Environment[prefix+"GRPC_ADDR"]; addr == nil || !strings.HasPrefix(*addr, ":") {
			t.Errorf("%s: %sGRPC_ADDR must listen on all interfaces", name, prefix)
		}
		if m := p.Services[svc+"-migrate"]; s.DependsOn[svc+"-migrate"].Condition != types.ServiceConditionCompletedSuccessfully || m.Image != s.Image {
			t.Errorf("%s: must start after %s-migrate (same image) completed", name, svc)
		}
		port := strings.TrimPrefix(*s.Environment[prefix+"GRPC_ADDR"], ":")
		gw := p.Services["gateway"].Environment["GATEWAY_"+prefix+"ADDR"]
		if gw == nil || *gw != svc+":"+port {
			t.Errorf("gateway: GATEWAY_%sADDR = %v, want %s:%s", prefix, gw, svc, port)
		}
	}

	for _, name := range []string{"cityhall-realm.json", "cityhall-users-0.json"} {
		found := false
		for _, v := range p.Services["keycloak"].Volumes {
			if v.Target == "/opt/keycloak/data/import/"+name {
				found = true
				if _, err := os.Stat(v.Source); err != nil {
					t.Errorf("keycloak volume: %v", err)
				}
			}
		}
		if !found {
			t.Errorf("keycloak does not import %s", name)
		}
	}

	// The broker's configuration, as nats-server reads it.
	conf := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(conf, []byte(p.Configs["nats-conf"].Content), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatalf("compose nats.conf: %v", err)
	}
	if !opts.JetStream || !opts.SyncAlways {
		t.Errorf("compose NATS: jetstream=%v sync always=%v", opts.JetStream, opts.SyncAlways)
	}
	var spa map[string]string
	if err := json.Unmarshal([]byte(p.Configs["spa-config"].Content), &spa); err != nil || spa["clientId"] != "cityhall-spa" || spa["issuer"] == "" {
		t.Errorf("compose SPA config.json: %v %v", spa, err)
	}
}

// normalizeImage gives Docker Hub short names a registry so that checkImage sees <repo>:<tag>.
func normalizeImage(image string) string {
	if first, _, ok := strings.Cut(image, "/"); !ok || !strings.ContainsAny(first, ".:") {
		return "docker.io/" + image
	}
	return image
}

// The Keycloak realm example issues the tokens the services accept: audience "cityhall", a flat
// "roles" claim, "department" and "official" claims; the SPA uses PKCE; the integrator is a
// confidential client whose service account holds the integrator role.
func TestKeycloakRealm(t *testing.T) {
	raw := readFile(t, "keycloak/cityhall-realm.json")
	if !json.Valid(raw) {
		t.Fatal("cityhall-realm.json is not valid JSON")
	}
	type mapper struct {
		Name           string            `json:"name"`
		Protocol       string            `json:"protocol"`
		ProtocolMapper string            `json:"protocolMapper"`
		Config         map[string]string `json:"config"`
	}
	type client struct {
		ClientID                  string            `json:"clientId"`
		PublicClient              bool              `json:"publicClient"`
		StandardFlowEnabled       bool              `json:"standardFlowEnabled"`
		ImplicitFlowEnabled       bool              `json:"implicitFlowEnabled"`
		DirectAccessGrantsEnabled bool              `json:"directAccessGrantsEnabled"`
		ServiceAccountsEnabled    bool              `json:"serviceAccountsEnabled"`
		Secret                    string            `json:"secret"`
		RedirectURIs              []string          `json:"redirectUris"`
		Attributes                map[string]string `json:"attributes"`
		ProtocolMappers           []mapper          `json:"protocolMappers"`
	}
	var realm struct {
		Realm   string `json:"realm"`
		Enabled bool   `json:"enabled"`
		Roles   struct {
			Realm []struct {
				Name string `json:"name"`
			} `json:"realm"`
		} `json:"roles"`
		Clients []client `json:"clients"`
		Users   []struct {
			Username               string   `json:"username"`
			ServiceAccountClientID string   `json:"serviceAccountClientId"`
			RealmRoles             []string `json:"realmRoles"`
			Credentials            []any    `json:"credentials"`
		} `json:"users"`
		Components map[string][]struct {
			ProviderID string              `json:"providerId"`
			Config     map[string][]string `json:"config"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &realm); err != nil {
		t.Fatal(err)
	}
	if realm.Realm != "cityhall" || !realm.Enabled {
		t.Errorf("realm %q enabled=%v", realm.Realm, realm.Enabled)
	}
	var roles []string
	for _, r := range realm.Roles.Realm {
		roles = append(roles, r.Name)
	}
	for _, want := range []string{"clerk", "head", "curator", "vice_mayor", "mayor", "admin", "integrator", "auditor"} {
		if !slices.Contains(roles, want) {
			t.Errorf("realm role %s missing", want)
		}
	}

	clients := map[string]client{}
	for _, c := range realm.Clients {
		clients[c.ClientID] = c
	}
	spa, ok := clients["cityhall-spa"]
	if !ok || !spa.PublicClient || !spa.StandardFlowEnabled || spa.ImplicitFlowEnabled || spa.DirectAccessGrantsEnabled ||
		spa.Attributes["pkce.code.challenge.method"] != "S256" || len(spa.RedirectURIs) == 0 {
		t.Errorf("cityhall-spa: want a public client with the code flow and PKCE S256 only: %+v", spa)
	}
	for _, u := range spa.RedirectURIs {
		if !strings.HasSuffix(u, "/auth/callback") || strings.Contains(u, "*") {
			t.Errorf("cityhall-spa redirect URI %q: want exact .../auth/callback URIs (the SPA's CALLBACK_PATH)", u)
		}
	}
	in, ok := clients["cityhall-integrator"]
	if !ok || in.PublicClient || !in.ServiceAccountsEnabled || in.StandardFlowEnabled || in.DirectAccessGrantsEnabled {
		t.Errorf("cityhall-integrator: want a confidential client with a service account only: %+v", in)
	}
	if in.Secret != "" {
		t.Errorf("cityhall-integrator: the client secret is inlined; let Keycloak generate it")
	}
	saRoles := []string{}
	for _, u := range realm.Users {
		if u.ServiceAccountClientID == "cityhall-integrator" {
			saRoles = u.RealmRoles
		}
		if len(u.Credentials) > 0 {
			t.Errorf("user %s has credentials in the realm file (demo users live in cityhall-users-0.json)", u.Username)
		}
	}
	if !slices.Contains(saRoles, "integrator") {
		t.Errorf("the integrator's service account lacks the integrator role: %v", saRoles)
	}

	for _, c := range []client{spa, in} {
		byType := map[string][]mapper{}
		for _, m := range c.ProtocolMappers {
			if m.Protocol != "openid-connect" {
				t.Errorf("%s mapper %s: protocol %q", c.ClientID, m.Name, m.Protocol)
			}
			byType[m.ProtocolMapper] = append(byType[m.ProtocolMapper], m)
		}
		if aud := byType["oidc-audience-mapper"]; len(aud) != 1 || aud[0].Config["included.custom.audience"] != "cityhall" || aud[0].Config["access.token.claim"] != "true" {
			t.Errorf("%s: no audience mapper adding cityhall to the access token: %+v", c.ClientID, aud)
		}
		if rm := byType["oidc-usermodel-realm-role-mapper"]; len(rm) != 1 || rm[0].Config["claim.name"] != "roles" ||
			rm[0].Config["multivalued"] != "true" || rm[0].Config["access.token.claim"] != "true" {
			t.Errorf("%s: no realm-role mapper to a flat multivalued roles claim: %+v", c.ClientID, rm)
		}
		claims := map[string]string{}
		for _, m := range byType["oidc-usermodel-attribute-mapper"] {
			if m.Config["access.token.claim"] == "true" && m.Config["multivalued"] != "true" {
				claims[m.Config["user.attribute"]] = m.Config["claim.name"]
			}
		}
		for _, attr := range []string{"department", "official"} {
			if claims[attr] != attr {
				t.Errorf("%s: user attribute %s is not mapped to the access-token claim %s (%v)", c.ClientID, attr, attr, claims)
			}
		}
	}

	// The user profile declares both attributes, editable by administrators only.
	var profile struct {
		Attributes []struct {
			Name        string `json:"name"`
			Permissions struct {
				Edit []string `json:"edit"`
			} `json:"permissions"`
		} `json:"attributes"`
	}
	up := realm.Components["org.keycloak.userprofile.UserProfileProvider"]
	if len(up) != 1 || len(up[0].Config["kc.user.profile.config"]) != 1 {
		t.Fatalf("no declarative user profile")
	}
	if err := json.Unmarshal([]byte(up[0].Config["kc.user.profile.config"][0]), &profile); err != nil {
		t.Fatalf("user profile config: %v", err)
	}
	edit := map[string][]string{}
	for _, a := range profile.Attributes {
		edit[a.Name] = a.Permissions.Edit
	}
	for _, attr := range []string{"department", "official"} {
		if e, ok := edit[attr]; !ok || !slices.Equal(e, []string{"admin"}) {
			t.Errorf("user profile: %s must be declared and editable by admin only, got %v (declared %v)", attr, e, ok)
		}
	}

	// Demo users (compose only) use the roles and departments of the dev issuer.
	var demo struct {
		Realm string `json:"realm"`
		Users []struct {
			Username   string              `json:"username"`
			RealmRoles []string            `json:"realmRoles"`
			Attributes map[string][]string `json:"attributes"`
		} `json:"users"`
	}
	if err := json.Unmarshal(readFile(t, "keycloak/cityhall-users-0.json"), &demo); err != nil || demo.Realm != "cityhall" {
		t.Fatalf("cityhall-users-0.json: %v realm %q", err, demo.Realm)
	}
	for _, u := range demo.Users {
		for _, r := range u.RealmRoles {
			if !slices.Contains(roles, r) {
				t.Errorf("demo user %s: role %s is not a realm role", u.Username, r)
			}
		}
		if slices.Contains(u.RealmRoles, "clerk") && len(u.Attributes["department"]) != 1 {
			t.Errorf("demo clerk %s without a department", u.Username)
		}
	}
}

// The Dockerfile keeps the properties the chart relies on (it cannot be built here).
func TestDockerfile(t *testing.T) {
	df := string(readFile(t, "docker/Dockerfile"))
	stages := regexp.MustCompile(`(?m)^FROM\s+(?:--platform=\S+\s+)?(\S+)\s+AS\s+(\S+)`).FindAllStringSubmatch(df, -1)
	from := map[string]string{}
	for _, s := range stages {
		from[s[2]] = s[1]
	}
	for _, final := range []string{"gateway", "service"} {
		if from[final] != "gcr.io/distroless/static-debian12:nonroot" {
			t.Errorf("stage %s from %q, want gcr.io/distroless/static-debian12:nonroot", final, from[final])
		}
	}
	if !strings.HasPrefix(from["build"], "golang:") || !strings.HasPrefix(from["spa"], "node:${NODE_VERSION}") ||
		!strings.Contains(df, "ARG NODE_VERSION=20") {
		t.Errorf("build stages: %v", from)
	}
	// The default target (the last stage) is a service; the gateway is built with --target gateway.
	if last := stages[len(stages)-1][2]; last != "service" {
		t.Errorf("last stage %q, want service", last)
	}
	for _, want := range []string{"USER 65532:65532", `ENTRYPOINT ["/app/service"]`, "COPY --from=spa /src/frontend/dist /app/static",
		"GATEWAY_STATIC_DIR=/app/static", "deploy/docker/build-service.sh"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	sh := string(readFile(t, "docker/build-service.sh"))
	for _, want := range []string{"CGO_ENABLED=0", "GOWORK=off", "-trimpath"} {
		if !strings.Contains(sh, want) {
			t.Errorf("build-service.sh lacks %q", want)
		}
	}
	ignore := string(readFile(t, "docker/Dockerfile.dockerignore"))
	for _, want := range []string{".git", "**/node_modules", "frontend/dist", ".data"} {
		if !slices.Contains(strings.Split(ignore, "\n"), want) {
			t.Errorf("Dockerfile.dockerignore does not exclude %s", want)
		}
	}
}
