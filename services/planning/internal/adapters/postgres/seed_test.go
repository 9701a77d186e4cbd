package postgres

import (
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
)

// The dev issuer's users name their official by the id the seed gives it: a curator's token
// must find her official in every service's directory copy.
func TestDevUsersNameSeededOfficials(t *testing.T) {
	byID := map[string]string{}
	for _, o := range demoOfficials {
		byID[OfficialID(o.FullName).String()] = o.FullName
	}
	n := 0
	for _, u := range devissuer.DefaultUsers() {
		if u.Official == "" {
			continue
		}
		n++
		if name, ok := byID[u.Official]; !ok || name != u.Name {
			t.Errorf("user %s: official %s is %q in the seed, want %q", u.Login, u.Official, name, u.Name)
		}
	}
	if n == 0 {
		t.Fatal("no dev user names an official")
	}
}
