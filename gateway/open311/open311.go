// Package open311 serves the Open311 GeoReport v2 API at /open311/v2/ for regional integrators,
// in JSON only (http://wiki.open311.org/GeoReport_v2). It is an adapter: the services are the
// ССТУ classifier questions the city handles most (services.csv, embedded), and a service
// request is an appeal, registered and read through the appeals service's gRPC API with the
// caller's own bearer token, so the appeals service decides what the caller may do and see.
//
//	GET  services.json                          the service list
//	GET  services/{service_code}.json           its definition (one optional attribute: district)
//	POST requests.json                          register an appeal (form-encoded, per the spec)
//	GET  requests.json                          appeals by service_request_id, service_code, start_date, end_date, status
//	GET  requests/{service_request_id}.json     one appeal
//
// service_request_id is the appeal's resource id (the UUID of appeals/{id}); the registration
// number is given in service_notice. Errors are the spec's array [{"code":400,"description":"..."}]
// with the same HTTP status.
package open311

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// Prefix is where the API is mounted.
const Prefix = "/open311/v2/"

// Options tune the handler; the zero value is usable.
type Options struct {
	// MaxBodyBytes caps a POST body; 1 MiB when zero.
	MaxBodyBytes int64
	// Logger gets failed backend calls (code and method only, never request data); slog.Default when nil.
	Logger *slog.Logger
	// Now is the clock (the default 90-day window of GET requests); time.Now when nil.
	Now func() time.Time
}

type handler struct {
	appeals appealsv1.AppealServiceClient
	maxBody int64
	log     *slog.Logger
	now     func() time.Time
}

// Handler serves Prefix. Every call to appeals carries the caller's token as "authorization" metadata.
func Handler(appeals appealsv1.AppealServiceClient, opts Options) http.Handler {
	h := &handler{appeals: appeals, maxBody: opts.MaxBodyBytes, log: opts.Logger, now: opts.Now}
	if h.maxBody <= 0 {
		h.maxBody = 1 << 20
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		writeError(w, http.StatusNotFound, "no such Open311 path: "+r.URL.Path)
		return
	}
	format := strings.TrimPrefix(path.Ext(rest), ".")
	resource := strings.TrimSuffix(rest, "."+format)
	switch {
	case format == "xml":
		writeError(w, http.StatusBadRequest, "only the JSON format is supported: use "+Prefix+resource+".json")
		return
	case format != "json":
		writeError(w, http.StatusNotFound, "no such Open311 path: "+r.URL.Path+" (paths end in .json, e.g. "+Prefix+"services.json)")
		return
	}
	collection, id, hasID := strings.Cut(resource, "/")
	if hasID && (id == "" || strings.Contains(id, "/")) {
		writeError(w, http.StatusNotFound, "no such Open311 path: "+r.URL.Path)
		return
	}
	switch {
	case collection == "services" && !hasID:
		if allow(w, r, http.MethodGet) {
			h.listServices(w, r)
		}
	case collection == "services":
		if allow(w, r, http.MethodGet) {
			h.serviceDefinition(w, r, id)
		}
	case collection == "requests" && !hasID:
		if allow(w, r, http.MethodGet, http.MethodPost) {
			if r.Method == http.MethodPost {
				h.createRequest(w, r)
			} else {
				h.listRequests(w, r)
			}
		}
	case collection == "requests":
		if allow(w, r, http.MethodGet) {
			h.getRequest(w, r, id)
		}
	default:
		writeError(w, http.StatusNotFound, "no such Open311 path: "+r.URL.Path)
	}
}

// allow answers 405 unless r uses one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+strings.Join(methods, " or "))
	return false
}

// apiError is one entry of the spec's error array.
type apiError struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

func writeError(w http.ResponseWriter, status int, descriptions ...string) {
	errs := make([]apiError, len(descriptions))
	for i, d := range descriptions {
		errs[i] = apiError{Code: status, Description: d}
	}
	writeJSON(w, status, errs)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
