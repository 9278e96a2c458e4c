// Package store reads and writes inventory items in PostgreSQL.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned when no item has the requested SKU.
var ErrNotFound = errors.New("item not found")

// Item is one stock-keeping unit.
type Item struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Location string `json:"location"`
}

// Store wraps a connection pool.
type Store struct {
	pool *pgxpool.Pool
}

// New connects to the database.
func New(ctx context.Context, dsn string) (*Store, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close releases the pool.
func (s *Store) Close() { s.pool.Close() }

// Get returns one item.
func (s *Store) Get(ctx context.Context, sku string) (Item, error) {
	var it Item
	err := s.pool.QueryRow(ctx,
		`SELECT sku, name, quantity, location FROM items WHERE sku = $1`, sku,
	).Scan(&it.SKU, &it.Name, &it.Quantity, &it.Location)
	if errors.Is(err, pgx.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	return it, err
}

// Adjust changes the quantity of an item by delta and returns the new quantity.
func (s *Store) Adjust(ctx context.Context, sku string, delta int) (int, error) {
	var qty int
	err := s.pool.QueryRow(ctx,
		`UPDATE items SET quantity = quantity + $2 WHERE sku = $1 AND quantity + $2 >= 0 RETURNING quantity`,
		sku, delta,
	).Scan(&qty)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return qty, err
}
