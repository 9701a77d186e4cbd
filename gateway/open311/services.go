package open311

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
)

// services.csv is the city's Open311 service list: the level-4 questions of the ССТУ
// classifier (code,name,group = the level-3 topic's name) under the topics below. It is a
// subset of services/appeals/db/seed/classifier.csv; catalog_test.go checks that and can
// rewrite the file (OPEN311_WRITE_SERVICES=1 go test -run TestServicesFile).
//
//go:embed services.csv
var servicesCSV string

// topics are the classifier topics the city handles most, in the order the list shows them.
var topics = []string{
	"0005.0005.",      // Жилище (housing and utilities)
	"0003.0009.0097.", // Градостроительство и архитектура (roads, amenities)
	"0003.0009.0099.", // Транспорт
	"0002.0013.0139.", // Образование
	"0003.0011.0127.", // Охрана и использование животного мира (stray animals)
}

// service is one entry of GET services (GeoReport v2 field names).
type service struct {
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Group       string `json:"group"`
}

// attribute is one field of a service definition.
type attribute struct {
	Variable            bool             `json:"variable"`
	Code                string           `json:"code"`
	Datatype            string           `json:"datatype"`
	Required            bool             `json:"required"`
	DatatypeDescription string           `json:"datatype_description"`
	Order               int              `json:"order"`
	Description         string           `json:"description"`
	Values              []attributeValue `json:"values,omitempty"`
}

type attributeValue struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

type serviceDefinition struct {
	ServiceCode string      `json:"service_code"`
	Attributes  []attribute `json:"attributes"`
}

// districts are the city's districts (shared/data/districts.csv), the values of attribute[district].
var districts = []attributeValue{
	{"ZHD", "Железнодорожный"}, {"IND", "Индустриальный"}, {"KIR", "Кировский"},
	{"KRF", "Краснофлотский"}, {"CEN", "Центральный"},
}

// districtAttribute is the one attribute every service has: optional, it sets the appeal's
// district and, for housing questions, routes the appeal to that district's committee.
var districtAttribute = attribute{
	Variable: true, Code: "district", Datatype: "singlevaluelist", Required: false, Order: 1,
	DatatypeDescription: "код района: ZHD, IND, KIR, KRF или CEN",
	Description: "Район города Хабаровска, к которому относится обращение. " +
		"Жилищные вопросы направляются в комитет по управлению этим районом.",
	Values: districts,
}

func validDistrict(code string) bool {
	for _, d := range districts {
		if d.Key == code {
			return true
		}
	}
	return false
}

// catalog is the parsed service list.
type catalog struct {
	list   []service
	byCode map[string]service
}

var services = mustCatalog(servicesCSV)

func mustCatalog(text string) catalog {
	c, err := parseCatalog(text)
	if err != nil {
		panic("open311: services.csv: " + err.Error())
	}
	return c
}

func parseCatalog(text string) (catalog, error) {
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		return catalog{}, err
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "code,name,group" {
		return catalog{}, fmt.Errorf("want the header code,name,group and at least one service")
	}
	c := catalog{byCode: map[string]service{}}
	for _, r := range rows[1:] {
		s := service{
			ServiceCode: r[0], ServiceName: r[1], Group: r[2],
			Description: fmt.Sprintf("Вопрос %s классификатора обращений ССТУ, тема «%s»", r[0], r[2]),
			Metadata:    true, Type: "realtime",
		}
		if _, dup := c.byCode[s.ServiceCode]; dup {
			return catalog{}, fmt.Errorf("%s listed twice", s.ServiceCode)
		}
		c.list = append(c.list, s)
		c.byCode[s.ServiceCode] = s
	}
	return c, nil
}

// resolve finds the service of an appeal: its first classifier code that is in the list, or
// whose level-4 parent is (a level-5 code such as 0003.0009.0099.0733.0001).
func (c catalog) resolve(codes []string) (service, bool) {
	for _, code := range codes {
		if s, ok := c.byCode[code]; ok {
			return s, true
		}
		if len(code) > 19 {
			if s, ok := c.byCode[code[:19]]; ok {
				return s, true
			}
		}
	}
	return service{}, false
}

func (h *handler) listServices(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, services.list)
}

func (h *handler) serviceDefinition(w http.ResponseWriter, _ *http.Request, code string) {
	if _, ok := services.byCode[code]; !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("service_code %q not found; GET services.json lists them", code))
		return
	}
	writeJSON(w, http.StatusOK, serviceDefinition{ServiceCode: code, Attributes: []attribute{districtAttribute}})
}
