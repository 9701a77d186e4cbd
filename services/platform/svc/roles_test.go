package svc

import (
	"maps"
	"slices"
	"testing"
)

func TestParseRoles(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
	}{
		{nil, allRoles},
		{[]string{""}, allRoles},
		{[]string{"api"}, []string{"api"}},
		{[]string{" relay", "consumers "}, []string{"consumers", "relay"}},
	} {
		got, err := parseRoles(c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, slices.Sorted(slices.Values(c.want))) {
			t.Errorf("%q: roles %v, want %v", c.in, keys, c.want)
		}
	}
	if _, err := parseRoles([]string{"api", "worker"}); err == nil {
		t.Error("an unknown role was accepted")
	}
}
