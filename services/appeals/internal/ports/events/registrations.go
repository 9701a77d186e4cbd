// Package events handles the domain events the appeals service consumes.
package events

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// Registrations keeps the daily registration statistics from AppealRegistered events.
func Registrations(svc *app.Service) func(context.Context, pgx.Tx, jetstream.Msg) error {
	return func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
		var e appealsv1.AppealRegistered
		if err := proto.Unmarshal(msg.Data(), &e); err != nil {
			return fmt.Errorf("decode AppealRegistered: %w", err)
		}
		return svc.RecordRegistration(ctx, tx, app.Registered{
			RegisterTime:    e.GetRegisterTime().AsTime(),
			Department:      e.GetDepartment(),
			Channel:         domain.Channel(e.GetChannel()),
			ClassifierCodes: e.GetClassifierCodes(),
		})
	}
}
