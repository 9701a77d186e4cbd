// Command cityhall runs the whole of Cityhall on one machine and helps to use it.
//
//	cityhall run [--demo=true]        start everything (PostgreSQL discovered or private, embedded
//	             [--demo-year[=YEAR]] NATS, dev OIDC issuer, services, gateway on :8080); --demo-year
//	                                  also loads a generated year of appeals and meetings shaped like 2017
//	cityhall token --user LOGIN       print an access token from the running dev issuer
//	cityhall users                    list the demo accounts
//	cityhall issuer --addr HOST:PORT  serve the dev OIDC issuer alone at http://HOST:PORT
//	                [--key FILE]      (separate processes, fault tests); --key keeps its key
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/demo"
	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/stack"
	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/outreach"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
	"github.com/cityhall-khv/cityhall/services/platform/logging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cityhall:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runAll(ctx, args, out)
	case "token":
		return token(ctx, args, out)
	case "users":
		return users(out)
	case "issuer":
		return issuer(ctx, args, out)
	case "help", "-h", "--help":
		fmt.Fprintln(out, "usage: cityhall [run|token --user LOGIN|users|issuer --addr HOST:PORT]")
		return nil
	}
	return fmt.Errorf("unknown command %q; try cityhall help", cmd)
}

func runAll(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	addr := fs.String("addr", envOr("CITYHALL_ADDR", "localhost:8080"), "gateway listen address")
	dataDir := fs.String("data", envOr("CITYHALL_DATA_DIR", ".data"), "where the private PostgreSQL, NATS storage and issuer key live")
	withDemo := fs.Bool("demo", true, "load demo appeals on first start")
	dbPrefix := fs.String("db-prefix", "cityhall_", "databases are named <prefix><service>: another prefix, another set (tests)")
	freePorts := fs.Bool("free-grpc-ports", false, "give the services free gRPC ports instead of 9090, 9091 (to run beside another instance)")
	demoYear := &demo.YearFlag{}
	fs.Var(demoYear, "demo-year", "also load a generated year of 22,884 appeals and about 1,000 meetings with residents shaped like 2017, once: --demo-year (last year) or --demo-year=2017")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logging.New("cityhall", envOr("LOG_LEVEL", "info"))
	slog.SetDefault(log)
	opts := stack.Options{DataDir: *dataDir, HTTPAddr: *addr, DatabasePrefix: *dbPrefix, Logger: log}
	if *freePorts {
		opts.GRPCAddrs = map[string]string{}
		for _, svc := range stack.Services {
			opts.GRPCAddrs[svc] = "127.0.0.1:0"
		}
	}
	st, err := stack.Start(ctx, opts)
	if err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemo(ctx, st); err != nil {
			_ = st.Stop() // report the demo failure, not the shutdown's
			return err
		}
	}
	if demoYear.Year != 0 { // after the demo appeals: those are skipped once any appeal exists
		if err := loadDemoYear(ctx, st.Databases["appeals"], demoYear.Year, out); err != nil {
			_ = st.Stop()
			return err
		}
		if err := loadOutreachDemoYear(ctx, st.Databases["outreach"], demoYear.Year, out); err != nil {
			_ = st.Stop()
			return err
		}
	}
	fmt.Fprintf(out, `
Cityhall is running.
  Web application   %[1]s/
  REST API          %[1]s/v1/appeals   (OpenAPI: %[1]s/openapi.json)
  Public schedule   %[1]s/v1/publicMeetings   (iCalendar: %[1]s/v1/publicMeetings.ics, no sign-in)
  gRPC              appeals %[2]s, planning %[4]s, outreach %[5]s   (server reflection on)
  OIDC issuer       %[3]s
Demo accounts (password "demo"): clerk.zhd, clerk.ind, head.zhd, curator, vicemayor, admin, integrator, auditor
  TOKEN=$(bin/cityhall token --user clerk.zhd)
  curl -H "Authorization: Bearer $TOKEN" %[1]s/v1/appeals
Press Ctrl-C to stop.
`, st.URL, st.GRPC["appeals"], st.IssuerURL, st.GRPC["planning"], st.GRPC["outreach"])
	return st.Wait(ctx)
}

func loadDemo(ctx context.Context, st *stack.Stack) error {
	tok, err := st.Issuer.Mint("integrator")
	if err != nil {
		return err
	}
	conn, err := grpc.NewClient(st.GRPC["appeals"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	n, err := demo.Load(ctx, conn, tok, 300)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if n > 0 {
		fmt.Printf("Loaded %d demo appeals.\n", n)
	}
	return loadOutreachDemo(ctx, st)
}

// loadOutreachDemo loads last month's, this month's and next month's meeting plans with their
// meetings and reports, speaking officials taken from planning's directory.
func loadOutreachDemo(ctx context.Context, st *stack.Stack) error {
	planningConn, err := grpc.NewClient(st.GRPC["planning"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer planningConn.Close()
	tok, err := st.Issuer.Mint("admin")
	if err != nil {
		return err
	}
	officials, err := planningv1.NewDirectoryServiceClient(planningConn).ListOfficials(
		metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok),
		&planningv1.ListOfficialsRequest{PageSize: 100, Filter: "active = true"})
	if err != nil {
		return fmt.Errorf("demo meetings: officials: %w", err)
	}
	var speakers []string
	for _, o := range officials.GetOfficials() {
		speakers = append(speakers, o.GetName())
	}
	conn, err := grpc.NewClient(st.GRPC["outreach"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	n, err := demo.LoadOutreach(ctx, conn, st.Issuer.Mint, demo.SortedSpeakers(speakers), time.Now())
	if err != nil {
		return fmt.Errorf("demo meetings: %w", err)
	}
	if n > 0 {
		fmt.Printf("Loaded %d demo meetings with residents (three monthly plans).\n", n)
	}
	return nil
}

func loadDemoYear(ctx context.Context, databaseURL string, year int, out io.Writer) error {
	start := time.Now()
	n, err := appeals.LoadDemoYear(ctx, databaseURL, year)
	if err != nil {
		return fmt.Errorf("demo year %d: %w", year, err)
	}
	if n > 0 {
		fmt.Fprintf(out, "Loaded the demo year %d: %d appeals in %.1fs.\n", year, n, time.Since(start).Seconds())
	} else {
		fmt.Fprintf(out, "The demo year %d is already loaded.\n", year)
	}
	return nil
}

func loadOutreachDemoYear(ctx context.Context, databaseURL string, year int, out io.Writer) error {
	start := time.Now()
	n, err := outreach.LoadDemoYear(ctx, databaseURL, year)
	if err != nil {
		return fmt.Errorf("demo year %d of meetings: %w", year, err)
	}
	if n > 0 {
		fmt.Fprintf(out, "Loaded the demo year %d: %d meetings with residents in %.1fs.\n", year, n, time.Since(start).Seconds())
	}
	return nil
}

func token(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	user := fs.String("user", "", "login, e.g. clerk.zhd")
	password := fs.String("password", "demo", "password")
	issuer := fs.String("issuer", envOr("CITYHALL_ISSUER", "http://localhost:8080/oidc"), "issuer URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		return errors.New("token: --user LOGIN is required (see cityhall users)")
	}
	tok, err := devissuer.Login(ctx, *issuer, *user, *password)
	if err != nil {
		return fmt.Errorf("token: %w (is `make run` running?)", err)
	}
	fmt.Fprintln(out, tok)
	return nil
}

// issuer serves the dev OIDC issuer on its own port until ctx is done.
func issuer(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("issuer", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9096", "listen address; the issuer URL is http://ADDR")
	keyFile := fs.String("key", "", "signing key file (PEM), created if missing; empty: a fresh key per start")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("issuer: %w", err)
	}
	url := "http://" + lis.Addr().String()
	iss, err := devissuer.New(devissuer.Config{IssuerURL: url, KeyFile: *keyFile})
	if err != nil {
		lis.Close()
		return err
	}
	srv := &http.Server{Handler: iss.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	fmt.Fprintf(out, "dev OIDC issuer at %s (demo accounts: cityhall users)\n", url)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func users(out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "LOGIN\tROLES\tDEPARTMENT\tNAME")
	for _, u := range devissuer.DefaultUsers() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Login, strings.Join(u.Roles, ","), u.Department, u.Name)
	}
	return w.Flush()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
