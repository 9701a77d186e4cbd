package postgres

import (
	"context"
	"fmt"
	"github.com/cityhall-khv/cityhall/services/platform/refdata"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/planning/db"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
)

// Demo subdivisions the public list lacks (shared/data/SOURCES.md names them), marked demo.
var demoDepartments = [][4]string{ // code, name, kind, district
	{"UMS", "Управление муниципальной собственности администрации города Хабаровска", "управление", ""},
	{"UZHKH", "Управление жилищно-коммунального хозяйства администрации города Хабаровска", "управление", ""},
	{"USPORT", "Управление по физической культуре и спорту администрации города Хабаровска", "управление", ""},
	{"UMP", "Управление молодёжной политики администрации города Хабаровска", "управление", ""},
	{"USZN", "Управление социальной поддержки населения администрации города Хабаровска", "управление", ""},
	{"UPR", "Управление потребительского рынка администрации города Хабаровска", "управление", ""},
	{"UEKO", "Управление экологии администрации города Хабаровска", "управление", ""},
	{"UPRAV", "Правовое управление администрации города Хабаровска", "управление", ""},
}

// Demo officials: invented people (the names of the demo accounts where one fits) with the
// usual division of the city's work among the deputy mayors.
var demoOfficials = []domain.Official{
	{FullName: "Морозов Сергей Анатольевич", Position: "Мэр города Хабаровска",
		CuratedDepartments: []string{"OKPM"}, PlanAreas: []string{"стратегическое развитие города"}},
	{FullName: "Соколова Елена Александровна", Position: "Первый заместитель мэра города Хабаровска",
		CuratedDepartments: []string{"OOG", "UGOCHS", "UKMS", "UPRAV", "USOS"},
		PlanAreas:          []string{"организационная работа", "обращения граждан", "кадры и муниципальная служба", "безопасность"}},
	{FullName: "Васильев Андрей Игоревич", Position: "Заместитель мэра города по вопросам городского хозяйства",
		CuratedDepartments: []string{"KUR-CEN", "KUR-IND", "KUR-KIR", "KUR-KRF", "KUR-ZHD", "UDVB", "UEKO", "UT", "UZHKH"},
		PlanAreas:          []string{"ЖКХ", "дороги и благоустройство", "транспорт", "экология", "районы города"}},
	{FullName: "Орлова Наталья Викторовна", Position: "Заместитель мэра города по социальным вопросам",
		CuratedDepartments: []string{"UK", "UMP", "UO", "USPORT", "USZN"},
		PlanAreas:          []string{"образование", "культура", "спорт", "молодёжная политика", "социальная поддержка"}},
	{FullName: "Зайцев Игорь Валерьевич", Position: "Заместитель мэра города по экономике и финансам",
		CuratedDepartments: []string{"FD", "UMS", "UPR"},
		PlanAreas:          []string{"бюджет", "муниципальная собственность", "потребительский рынок"}},
	{FullName: "Егорова Светлана Павловна", Position: "Заместитель мэра города по вопросам архитектуры, строительства и землепользования",
		CuratedDepartments: []string{"DASZ"}, PlanAreas: []string{"градостроительство", "земельные отношения"}},
}

// officialNamespace makes the demo officials' ids deterministic: uuid v5 of their full name.
// The dev issuer's users carry the same ids in their "official" claim
// (services/platform/devissuer/users.json), which is how a curator's token finds her official.
var officialNamespace = uuid.MustParse("5b0b7a4e-2c1d-5e8f-9a3b-6c7d8e9f0a1b")

// OfficialID is the id a demo official is seeded with.
func OfficialID(fullName string) uuid.UUID { return uuid.NewSHA1(officialNamespace, []byte(fullName)) }

// Seed fills an empty directory: the districts and departments of shared/data, the demo
// additions and officials. Every entity goes through the outbox, so the other services' copies
// fill up. It runs as one directory change (under its lock), so replicas starting together
// seed once.
func (r *Repository) Seed(ctx context.Context, now time.Time) error {
	districts, err := refdata.ReadCSV(db.Seed, "seed/districts.csv")
	if err != nil {
		return err
	}
	departments, err := refdata.ReadCSV(db.Seed, "seed/departments.csv")
	if err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Microsecond)
	officials := make([]domain.Official, len(demoOfficials))
	curators := map[string]uuid.UUID{}
	for i, o := range demoOfficials {
		o.ID = OfficialID(o.FullName)
		o.CuratedDepartments = domain.Sorted(o.CuratedDepartments)
		o.Active, o.Demo, o.UpdateTime, o.Version = true, true, now, 1
		for _, code := range o.CuratedDepartments {
			curators[code] = o.ID
		}
		officials[i] = o
	}
	return r.change(ctx, func(t *txStore) error {
		n, err := t.q.DirectoryRows(ctx)
		if err != nil || n > 0 {
			return err
		}
		for _, row := range districts {
			if err := t.CreateDistrict(ctx, domain.District{Code: row[0], Name: row[1], UpdateTime: now, Version: 1}); err != nil {
				return fmt.Errorf("seed district %s: %w", row[0], err)
			}
		}
		add := func(row []string, demo bool) error {
			d := domain.Department{Code: row[0], Name: row[1], Kind: row[2], District: row[3], Curator: curators[row[0]],
				Active: true, Demo: demo, CreateTime: now, UpdateTime: now, Version: 1}
			delete(curators, d.Code)
			if err := t.CreateDepartment(ctx, d); err != nil {
				return fmt.Errorf("seed department %s: %w", d.Code, err)
			}
			return nil
		}
		for _, row := range departments {
			if err := add(row, false); err != nil {
				return err
			}
		}
		for _, row := range demoDepartments {
			if err := add(row[:], true); err != nil {
				return err
			}
		}
		if len(curators) > 0 {
			return fmt.Errorf("seed: curated departments not in the directory: %v", curators)
		}
		for _, o := range officials {
			if err := t.CreateOfficial(ctx, o); err != nil {
				return fmt.Errorf("seed official %s: %w", o.FullName, err)
			}
		}
		return nil
	})
}
