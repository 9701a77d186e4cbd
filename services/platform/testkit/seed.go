package testkit

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// CheckSeedCopies fails t when a seed file of a service (seedDir/name in fsys) differs from the
// project's shared reference data (sharedDir/name); it skips when shared/ is not beside the
// repository. Services embed copies of shared/data, and the copies must not drift.
func CheckSeedCopies(t *testing.T, fsys fs.FS, seedDir, sharedDir string, names ...string) {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skip("shared/data is not beside the repository")
	}
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(sharedDir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := fs.ReadFile(fsys, seedDir+"/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s differs from shared/data/%s: copy it again", seedDir, name, name)
		}
	}
}
