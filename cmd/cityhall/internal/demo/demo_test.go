package demo

import (
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
)

func TestDemoAppealsAreDeterministicAndMostlyHousing(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a, b := Appeals(300, now), Appeals(300, now)
	housing := 0
	for i := range a {
		if !proto.Equal(a[i], b[i]) {
			t.Fatalf("appeal %d differs between two runs", i)
		}
		if a[i].GetAppeal().GetClassifierCodes()[0][:4] == "0005" {
			housing++
		}
	}
	if housing < 150 {
		t.Fatalf("%d of 300 demo appeals on housing, want most", housing)
	}
}
