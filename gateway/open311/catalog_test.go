package open311

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

// seedClassifier is the committed copy of the ССТУ classifier (shared/data/classifier.csv).
const seedClassifier = "../../services/appeals/db/seed/classifier.csv"

type classifierRow struct{ parent, level, name string }

func readClassifier(t *testing.T, path string) (map[string]classifierRow, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "code,parent_code,level,name" {
		t.Fatalf("%s: unexpected header %v", path, rows[0])
	}
	byCode := map[string]classifierRow{}
	var order []string
	for _, r := range rows[1:] {
		byCode[r[0]] = classifierRow{parent: r[1], level: r[2], name: r[3]}
		order = append(order, r[0])
	}
	return byCode, order
}

// wantServices is services.csv as it must be: every level-4 question under the topics, named
// as in the classifier, grouped by its level-3 topic.
func wantServices(t *testing.T, byCode map[string]classifierRow, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"code", "name", "group"})
	for _, topic := range topics {
		for _, code := range order {
			row := byCode[code]
			if strings.HasPrefix(code, topic) && row.level == "4" {
				_ = w.Write([]string{code, row.name, byCode[row.parent].name})
			}
		}
	}
	w.Flush()
	return buf.Bytes()
}

// TestServicesFile: services.csv is exactly the level-4 questions of the classifier under the
// city's topics, with their names and topics. OPEN311_WRITE_SERVICES=1 rewrites it.
func TestServicesFile(t *testing.T) {
	byCode, order := readClassifier(t, seedClassifier)
	want := wantServices(t, byCode, order)
	if os.Getenv("OPEN311_WRITE_SERVICES") == "1" {
		if err := os.WriteFile("services.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("services.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("services.csv is not the classifier's level-4 questions under %v; rewrite it with OPEN311_WRITE_SERVICES=1 go test -run TestServicesFile", topics)
	}
	c, err := parseCatalog(string(got))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.list) < 100 || len(c.list) > 200 {
		t.Fatalf("%d services: expected the ~150 questions of five topics", len(c.list))
	}
}

// TestServicesExistInSharedClassifier: every service code is in the reference classifier of
// shared/data, when this checkout has it.
func TestServicesExistInSharedClassifier(t *testing.T) {
	for _, path := range []string{seedClassifier, "../../../shared/data/classifier.csv"} {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		t.Run(path, func(t *testing.T) {
			byCode, _ := readClassifier(t, path)
			for _, s := range services.list {
				row, ok := byCode[s.ServiceCode]
				if !ok {
					t.Errorf("%s (%s) is not in %s", s.ServiceCode, s.ServiceName, path)
					continue
				}
				if row.name != s.ServiceName || row.level != "4" {
					t.Errorf("%s: %q level %s in %s, %q in services.csv", s.ServiceCode, row.name, row.level, path, s.ServiceName)
				}
			}
		})
	}
}

func TestCatalogResolve(t *testing.T) {
	for _, tc := range []struct {
		codes []string
		want  string
	}{
		{[]string{"0005.0005.0056.1149"}, "0005.0005.0056.1149"},
		{[]string{"0001.0001.0001.0001", "0003.0009.0097.0699"}, "0003.0009.0097.0699"},
		{[]string{"0003.0009.0099.0733.0001"}, "0003.0009.0099.0733"}, // a level-5 code: its question
		{[]string{"0003.0009.0102.0768"}, ""},
		{nil, ""},
	} {
		s, ok := services.resolve(tc.codes)
		if s.ServiceCode != tc.want || ok != (tc.want != "") {
			t.Errorf("resolve(%v) = %q, %v; want %q", tc.codes, s.ServiceCode, ok, tc.want)
		}
	}
}
