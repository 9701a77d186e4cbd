package grpcapi

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// The statistics name channels by the API's enum values, every one of them.
func TestStatisticsChannelKeysAreTheAPIEnum(t *testing.T) {
	if len(app.Channels) != len(appealsv1.Channel_name)-1 {
		t.Fatalf("%d channels in the statistics, %d in the API", len(app.Channels), len(appealsv1.Channel_name)-1)
	}
	for _, c := range app.Channels {
		if got := appealsv1.Channel(c.Channel).String(); got != c.Key || c.Name == "" {
			t.Errorf("channel %d: key %q, the API calls it %q", c.Channel, c.Key, got)
		}
	}
}

// An empty period still makes well-formed files.
func TestExportsOfAnEmptyPeriod(t *testing.T) {
	st := app.Statistics{From: domain.Date{Year: 2026, Month: 1, Day: 1}, To: domain.Date{Year: 2026, Month: 1, Day: 31}}
	data, err := StatisticsCSV(st)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(records) != 2 || records[1][0] != TotalKey || records[1][2] != "0" {
		t.Fatalf("CSV %q: %v", data, err)
	}
	data, err = StatisticsXLSX(st)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if len(f.GetSheetList()) != len(Sheets) {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	if v, _ := f.GetCellValue(SheetSummary, "A1"); v != "Обращения граждан за период с 01.01.2026 по 31.01.2026" {
		t.Fatalf("title %q", v)
	}
	if ExportFilename(st, "xlsx") != "appeal-statistics_2026-01-01_2026-01-31.xlsx" {
		t.Fatal(ExportFilename(st, "xlsx"))
	}
}
