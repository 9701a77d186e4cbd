package demo

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cityhall-khv/cityhall/services/appeals"
)

// FirstDemoYear is the earliest year the generator is asked for.
const FirstDemoYear = 2000

// DefaultYear is the year `--demo-year` loads: the last full year before now.
func DefaultYear(now time.Time) int { return appeals.CityYear(now) - 1 }

// YearFlag is the `run --demo-year` flag: absent, nothing; `--demo-year`, the last full year;
// `--demo-year=2017`, that year (the current year: as far as it has gone).
type YearFlag struct {
	Year int // 0: do not load
	Now  func() time.Time
}

// IsBoolFlag lets the flag stand alone (`--demo-year`), as a boolean flag does.
func (f *YearFlag) IsBoolFlag() bool { return true }

func (f *YearFlag) String() string {
	if f == nil || f.Year == 0 {
		return "false"
	}
	return strconv.Itoa(f.Year)
}

func (f *YearFlag) Set(s string) error {
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	switch s {
	case "true":
		f.Year = DefaultYear(now())
		return nil
	case "false", "":
		f.Year = 0
		return nil
	}
	y, err := strconv.Atoi(s)
	if current := appeals.CityYear(now()); err != nil || y < FirstDemoYear || y > current {
		return fmt.Errorf("a year from %d to %d, or no value for %d", FirstDemoYear, current, DefaultYear(now()))
	}
	f.Year = y
	return nil
}
