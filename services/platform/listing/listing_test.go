package listing

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestParseFilter(t *testing.T) {
	got, err := ParseFilter("t", `state = REGISTERED AND department = "KUR-ZHD" AND register_time >= "2026-01-01"`)
	want := []Condition{{"state", "=", "REGISTERED"}, {"department", "=", "KUR-ZHD"}, {"register_time", ">=", "2026-01-01"}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"state", "state ~ x", `a = "b`, "a = b OR c = d"} {
		if _, err := ParseFilter("t", bad); status.Code(err) != codes.InvalidArgument {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestPageTokenIsBoundToItsQuery(t *testing.T) {
	fp := Fingerprint("List", "a = b")
	tok := EncodeToken(fp, "2026-01-01T00:00:00Z", "id-1")
	keys, err := DecodeToken("t", tok, fp, 2)
	if err != nil || keys[1] != "id-1" {
		t.Fatalf("round trip: %v %v", keys, err)
	}
	for _, c := range []struct{ tok, fp string }{{tok, Fingerprint("List", "a = c")}, {"garbage", fp}, {tok[:len(tok)-2], fp}} {
		if _, err := DecodeToken("t", c.tok, c.fp, 2); status.Code(err) != codes.InvalidArgument {
			t.Errorf("accepted a foreign token: %v", err)
		}
	}
}
