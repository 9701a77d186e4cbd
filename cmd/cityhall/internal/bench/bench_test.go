package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/faults"
)

func TestMain(m *testing.M) {
	code := m.Run()
	faults.RemoveBinaries()
	os.Exit(code)
}

// TestBench is `make bench` (BENCH=1, scripts/bench.sh): the whole run, printed and written
// to $BENCH_DIR/results.md.
func TestBench(t *testing.T) {
	if os.Getenv("BENCH") != "1" {
		t.Skip("make bench runs this (BENCH=1)")
	}
	s, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	r := Run(t, s, repoRoot(t))
	md := r.Markdown()
	fmt.Print("\n" + md)
	if s.Dir != "" {
		if err := os.WriteFile(filepath.Join(s.Dir, "results.md"), []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func repoRoot(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOWORK").Output()
	root := filepath.Dir(strings.TrimSpace(string(out)))
	if err != nil || !filepath.IsAbs(root) {
		t.Fatalf("bench: no go.work above the working directory (%v)", err)
	}
	return root
}
