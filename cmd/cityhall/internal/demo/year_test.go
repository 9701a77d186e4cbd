package demo

import (
	"flag"
	"io"
	"testing"
	"time"
)

func TestDemoYearFlag(t *testing.T) {
	// 31 December 2026 20:00 UTC is already 1 January 2027 in Khabarovsk.
	now := func() time.Time { return time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		args []string
		want int
		bad  bool
	}{
		{nil, 0, false},
		{[]string{"--demo-year"}, 2026, false},
		{[]string{"-demo-year"}, 2026, false},
		{[]string{"--demo-year=2017"}, 2017, false},
		{[]string{"--demo-year=2027"}, 2027, false},
		{[]string{"--demo-year=false"}, 0, false},
		{[]string{"--demo-year=2028"}, 0, true},
		{[]string{"--demo-year=1999"}, 0, true},
		{[]string{"--demo-year=last"}, 0, true},
	} {
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := &YearFlag{Now: now}
		fs.Var(f, "demo-year", "")
		fs.Bool("demo", true, "")
		err := fs.Parse(c.args)
		if (err != nil) != c.bad {
			t.Errorf("%v: error %v", c.args, err)
			continue
		}
		if !c.bad && f.Year != c.want {
			t.Errorf("%v: year %d, want %d", c.args, f.Year, c.want)
		}
	}
	// A bare --demo-year does not swallow the next argument.
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	f := &YearFlag{Now: now}
	fs.Var(f, "demo-year", "")
	demo := fs.Bool("demo", true, "")
	if err := fs.Parse([]string{"--demo-year", "--demo=false"}); err != nil || f.Year != 2026 || *demo {
		t.Fatalf("year %d demo %v err %v", f.Year, *demo, err)
	}
}
