package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// limitBody refuses request bodies over max bytes before any of them reaches a service.
// The body is read here (it is small by definition), so an oversize one is told apart from
// malformed JSON and named in the answer.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
		if err != nil {
			writeStatus(w, withViolation(status.New(codes.InvalidArgument, "cannot read the request body"), "body", err.Error()))
			return
		}
		if int64(len(body)) > max {
			msg := fmt.Sprintf("the request body is larger than %d bytes", max)
			writeStatus(w, withViolation(status.New(codes.InvalidArgument, msg), "body", msg))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

func withTimeout(d time.Duration, next http.Handler) http.Handler {
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// readiness answers 200 only when every backend's gRPC health check says SERVING.
func readiness(conns map[string]*grpc.ClientConn) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		var bad []string
		for name, conn := range conns {
			resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
			if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
				bad = append(bad, name)
			}
		}
		if len(bad) > 0 {
			http.Error(w, "not ready: "+strings.Join(bad, ", "), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
}

// spa serves the built web application; unknown paths get index.html so that client-side
// routes survive a reload. Without a build, / says how to make one.
func spa(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		index := filepath.Join(dir, "index.html")
		if _, err := os.Stat(index); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, `<!doctype html><meta charset="utf-8"><title>Cityhall</title>
<h1>Cityhall</h1><p>The web application is not built. The API is at <a href="/openapi.json">/openapi.json</a>.</p>`)
			return
		}
		path := filepath.Join(dir, filepath.Clean("/"+r.URL.Path))
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			http.ServeFile(w, r, index)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// outgoingHeader passes the headers a service sets for the HTTP client (a download's file name)
// and keeps every other gRPC header out of the response.
func outgoingHeader(key string) (string, bool) {
	switch strings.ToLower(key) {
	case "content-disposition":
		return "Content-Disposition", true
	}
	return "", false
}
