// Package refdata reads the reference data services ship (CSV files with a header row, copies
// of shared/data embedded in each service).
package refdata

import (
	"encoding/csv"
	"fmt"
	"io/fs"
)

// ReadCSV returns the rows of a CSV file after its header.
func ReadCSV(fsys fs.FS, name string) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty, not even a header", name)
	}
	return rows[1:], nil
}
