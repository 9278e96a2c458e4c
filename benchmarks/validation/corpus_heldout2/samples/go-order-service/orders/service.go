package orders

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

const (
	slotLength       = 15 * time.Minute
	maxPerSlot       = 12
	minLeadTime      = 2 * time.Hour
	maxLinesPerOrder = 30
)

var transitions = map[Status][]Status{
	StatusPending:   {StatusConfirmed, StatusCancelled},
	StatusConfirmed: {StatusReady, StatusCancelled},
	StatusReady:     {StatusCollected},
}

// Service implements the order workflow.
type Service struct {
	repo    Repository
	catalog Catalog
	now     func() time.Time
}

// NewService builds a Service; now is injectable so tests can fix the clock.
func NewService(repo Repository, catalog Catalog, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, catalog: catalog, now: now}
}

func newID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return "ord_" + hex.EncodeToString(b[:])
}

func slotOf(t time.Time) time.Time {
	return t.Truncate(slotLength)
}

// Place validates and stores a new order.
func (s *Service) Place(customer, phone string, pickupAt time.Time, lines []Line) (Order, error) {
	o := Order{
		ID:        newID(),
		Customer:  strings.TrimSpace(customer),
		Phone:     strings.ReplaceAll(phone, " ", ""),
		PickupAt:  slotOf(pickupAt),
		Lines:     lines,
		Status:    StatusPending,
		CreatedAt: s.now(),
	}
	if err := s.validateOrder(&o); err != nil {
		return Order{}, err
	}
	total, err := s.price(o.Lines)
	if err != nil {
		return Order{}, err
	}
	o.TotalCents = total

	taken, err := s.repo.CountInSlot(o.PickupAt)
	if err != nil {
		return Order{}, fmt.Errorf("count slot: %w", err)
	}
	if taken >= maxPerSlot {
		return Order{}, ErrSlotFull
	}
	if err := s.repo.Insert(o); err != nil {
		return Order{}, fmt.Errorf("insert order: %w", err)
	}
	return o, nil
}

func (s *Service) price(lines []Line) (int, error) {
	total := 0
	for _, l := range lines {
		unit, ok := s.catalog.PriceCents(l.ProductID)
		if !ok {
			return 0, fmt.Errorf("%w: %s", ErrUnknownProduct, l.ProductID)
		}
		total += unit * l.Quantity
	}
	return total, nil
}

// Advance moves an order to the next status if the workflow allows it.
func (s *Service) Advance(id string, to Status) error {
	o, err := s.repo.Get(id)
	if err != nil {
		return err
	}
	allowed := false
	for _, next := range transitions[o.Status] {
		if next == to {
			allowed = true
			break
		}
	}
	if !allowed {
		return fmt.Errorf("%w: %s -> %s", ErrBadTransition, o.Status, to)
	}
	if to == StatusCancelled && s.now().After(o.PickupAt.Add(-minLeadTime)) {
		return fmt.Errorf("%w: cancellations close %s before pick-up", ErrTooLate, minLeadTime)
	}
	return s.repo.UpdateStatus(id, o.Status, to)
}

// Summary renders an order for the shop's printer.
func (s *Service) Summary(o Order) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  %s\n", o.ID, o.PickupAt.Format("Mon 02 Jan 15:04"), o.Customer)
	for _, l := range o.Lines {
		fmt.Fprintf(&b, "  %2d x %-20s %6.2f\n", l.Quantity, l.ProductID, float64(l.UnitCents*l.Quantity)/100)
	}
	fmt.Fprintf(&b, "  total %28.2f\n", float64(o.TotalCents)/100)
	return b.String()
}
