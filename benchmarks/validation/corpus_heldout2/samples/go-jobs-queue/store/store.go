// Package store keeps background jobs in PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Job is one unit of background work.
type Job struct {
	ID        int64
	Kind      string
	Payload   []byte
	Attempts  int
	RunAfter  time.Time
	LockedBy  sql.NullString
	LastError sql.NullString
}

// Store is the job table.
type Store struct {
	db *sql.DB
}

// ErrEmpty is returned by Claim when no job is due.
var ErrEmpty = errors.New("no job due")

// Open connects and checks the connection within ctx. It replaces NewStore,
// which connected lazily and so reported a wrong DSN only at the first query.
func Open(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to job store: %w", err)
	}
	db.SetMaxOpenConns(10)
	return &Store{db: db}, nil
}

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

// Enqueue adds a job.
func (s *Store) Enqueue(ctx context.Context, kind string, payload []byte, runAfter time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO jobs (kind, payload, run_after) VALUES ($1, $2, $3) RETURNING id`,
		kind, payload, runAfter,
	).Scan(&id)
	return id, err
}

// Claim locks the oldest due job for worker.
func (s *Store) Claim(ctx context.Context, worker string) (Job, error) {
	var j Job
	err := s.db.QueryRowContext(ctx, `
		UPDATE jobs SET locked_by = $1, locked_at = now(), attempts = attempts + 1
		WHERE id = (
			SELECT id FROM jobs
			WHERE locked_by IS NULL AND run_after <= now() AND done_at IS NULL
			ORDER BY run_after
			FOR UPDATE SKIP LOCKED
			LIMIT 1
		)
		RETURNING id, kind, payload, attempts, run_after, locked_by, last_error`, worker,
	).Scan(&j.ID, &j.Kind, &j.Payload, &j.Attempts, &j.RunAfter, &j.LockedBy, &j.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, ErrEmpty
	}
	return j, err
}

// Finish marks a job done, or schedules a retry with the error recorded.
func (s *Store) Finish(ctx context.Context, id int64, jobErr error, retryIn time.Duration) error {
	if jobErr == nil {
		_, err := s.db.ExecContext(ctx, `UPDATE jobs SET done_at = now(), locked_by = NULL WHERE id = $1`, id)
		return err
	}
	_, err := s.db.ExecContext(ctx,
		`UPDATE jobs SET locked_by = NULL, last_error = $2, run_after = now() + $3 * interval '1 second' WHERE id = $1`,
		id, jobErr.Error(), int(retryIn.Seconds()))
	return err
}
