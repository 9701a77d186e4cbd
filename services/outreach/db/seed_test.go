package db

import (
	"path/filepath"
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// The seed files are copies of the project's shared reference data; they must not drift.
func TestSeedMatchesSharedReferenceData(t *testing.T) {
	testkit.CheckSeedCopies(t, Seed, "seed", filepath.Join("..", "..", "..", "..", "shared", "data"), "classifier.csv")
}
