package orders

import (
	"errors"
	"time"
)

// Status of an order in the bakery's pick-up workflow.
type Status string

const (
	StatusPending   Status = "pending"
	StatusConfirmed Status = "confirmed"
	StatusReady     Status = "ready"
	StatusCollected Status = "collected"
	StatusCancelled Status = "cancelled"
)

// Line is one product of an order.
type Line struct {
	ProductID string
	Quantity  int
	UnitCents int
}

// Order is a customer's pre-order for a pick-up slot.
type Order struct {
	ID         string
	Customer   string
	Phone      string
	PickupAt   time.Time
	Lines      []Line
	Status     Status
	CreatedAt  time.Time
	TotalCents int
}

var (
	ErrNotFound       = errors.New("order not found")
	ErrBadTransition  = errors.New("status change not allowed")
	ErrSlotFull       = errors.New("pick-up slot is full")
	ErrTooLate        = errors.New("pick-up time is too soon")
	ErrUnknownProduct = errors.New("unknown product")
)

// Repository persists orders.
type Repository interface {
	Insert(o Order) error
	Get(id string) (Order, error)
	UpdateStatus(id string, from, to Status) error
	CountInSlot(slot time.Time) (int, error)
}

// Catalog knows the products and their prices.
type Catalog interface {
	PriceCents(productID string) (int, bool)
}
