// Package idempotency makes create requests safe to retry (AIP-155): the first request with a
// request_id creates the resource, every retry with the same id and body gets that resource,
// the same id with another body (or from another caller) is rejected.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// Key identifies one create request: its id, the method, the caller and a digest of the body.
type Key struct {
	RequestID uuid.UUID
	Method    string
	Principal string
	Hash      []byte // from Hash(request)
}

// ErrReused means the request_id was already used for a different request.
var ErrReused = errors.New("request_id was already used for a different request")

// Claim records requestID inside the caller's transaction, before the resource is created.
// It returns the name of the resource an earlier request with this id created (the caller
// then answers with it and rolls back), or "" when this request is the first.
// A concurrent first request holding the same id makes Claim wait until it commits or rolls back.
func Claim(ctx context.Context, tx pgx.Tx, k Key) (string, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (request_id, method, principal, request_hash)
		VALUES ($1, $2, $3, $4) ON CONFLICT (request_id) DO NOTHING`, k.RequestID, k.Method, k.Principal, k.Hash)
	if err != nil {
		return "", err
	}
	if tag.RowsAffected() == 1 {
		return "", nil
	}
	var gotMethod, gotPrincipal, name string
	var gotHash []byte
	err = tx.QueryRow(ctx, `SELECT method, principal, request_hash, resource_name FROM idempotency_keys WHERE request_id = $1`,
		k.RequestID).Scan(&gotMethod, &gotPrincipal, &gotHash, &name)
	if err != nil {
		return "", err
	}
	if gotMethod != k.Method || gotPrincipal != k.Principal || !bytes.Equal(gotHash, k.Hash) || name == "" {
		return "", ErrReused
	}
	return name, nil
}

// Complete stores the created resource's name for the claimed id, in the same transaction.
func Complete(ctx context.Context, tx pgx.Tx, k Key, resourceName string) error {
	_, err := tx.Exec(ctx, `UPDATE idempotency_keys SET resource_name = $2 WHERE request_id = $1`, k.RequestID, resourceName)
	return err
}

// Purge forgets ids older than the retention period; a retry after that creates anew.
func Purge(ctx context.Context, pool *pgxpool.Pool, retention time.Duration) (int64, error) {
	tag, err := pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, retention)
	return tag.RowsAffected(), err
}

// Hash is a stable digest of a request message.
func Hash(m proto.Message) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

// KeyFor is the key of a create request carrying requestID ("" = none: the result is nil),
// made for the signed-in caller. A requestID that is not a UUID is INVALID_ARGUMENT.
func KeyFor(ctx context.Context, d apierr.Domain, requestID, method string, req proto.Message) (*Key, error) {
	if requestID == "" {
		return nil, nil
	}
	id, err := uuid.Parse(requestID)
	if err != nil {
		return nil, d.Invalid("INVALID_REQUEST_ID", "request_id must be a UUID",
			apierr.FieldViolation{Field: "request_id", Description: "not a UUID"})
	}
	hash, err := Hash(req)
	if err != nil {
		return nil, err
	}
	p, _ := auth.FromContext(ctx)
	return &Key{RequestID: id, Method: method, Principal: p.Subject, Hash: hash}, nil
}
