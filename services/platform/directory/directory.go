// Package directory is every service's side of the organisation directory that planning owns:
// the DIRECTORY stream and its subjects, and the read copy (districts, departments, officials)
// that a service keeps from DistrictChanged, DepartmentChanged and OfficialChanged events.
package directory

import (
	"embed"
	"io/fs"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// StreamName is the stream of directory events.
const StreamName = "DIRECTORY"

const subjectPrefix = "cityhall.directory.v1."

// Stream keeps only the latest event per entity (one subject per entity), so a service that
// joins late, or rebuilds its copy, replays the directory's current state, not its history.
// Nothing expires: the latest state of every entity is always there.
func Stream() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:              StreamName,
		Subjects:          []string{subjectPrefix + ">"},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardOld,
		MaxMsgsPerSubject: 1,
		Duplicates:        natsx.DuplicateWindow,
	}
}

// DistrictSubject carries DistrictChanged for one district.
func DistrictSubject(code string) string { return subjectPrefix + "district_changed." + code }

// DepartmentSubject carries DepartmentChanged for one department.
func DepartmentSubject(code string) string { return subjectPrefix + "department_changed." + code }

// OfficialSubject carries OfficialChanged for one official.
func OfficialSubject(id string) string { return subjectPrefix + "official_changed." + id }

// Consumer is the durable consumer a service's copy is fed by.
func Consumer(service string) inbox.ConsumerConfig {
	return inbox.ConsumerConfig{
		Stream:         StreamName,
		Durable:        service + "-directory",
		FilterSubjects: []string{subjectPrefix + ">"},
	}
}

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations creates the read-copy tables; pass it to pgdb.Migrate.
var Migrations = pgdb.Set{Name: "directory", FS: mustSub(migrations, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
