package db

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// The seed files are copies of the project's shared reference data; they must not drift.
func TestSeedMatchesSharedReferenceData(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "..", "shared", "data")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared/data is not beside the repository")
	}
	for _, name := range []string{"departments.csv", "districts.csv"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadFile(Seed, "seed/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("seed/%s differs from shared/data/%s: copy it again", name, name)
		}
	}
}
