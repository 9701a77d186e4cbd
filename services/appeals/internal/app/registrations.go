package app

import (
	"context"
	"strings"
	"time"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// Registered is what the statistics need of an AppealRegistered event.
type Registered struct {
	RegisterTime    time.Time
	Department      string
	Channel         domain.Channel
	ClassifierCodes []string
}

// RecordRegistration counts a registered appeal once per classifier section it touches,
// in the consumer's transaction (so a redelivered event changes nothing).
func (s *Service) RecordRegistration(ctx context.Context, tx Tx, e Registered) error {
	seen := map[string]bool{}
	for _, code := range e.ClassifierCodes {
		section, _, _ := strings.Cut(code, ".")
		if seen[section] {
			continue
		}
		seen[section] = true
		if err := s.repo.CountRegistration(ctx, tx, domain.DateOf(e.RegisterTime), e.Department, section, e.Channel); err != nil {
			return err
		}
	}
	return nil
}
