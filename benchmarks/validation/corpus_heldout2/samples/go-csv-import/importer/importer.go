// Package importer reads bank statement CSV exports.
package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Transaction is one booked line of a statement.
type Transaction struct {
	Booked      time.Time
	Counterpart string
	Purpose     string
	AmountCents int64
	Currency    string
}

// Format describes one bank's export.
type Format struct {
	Comma        rune
	DateLayout   string
	DecimalComma bool
	Columns      map[string]int
	SkipLines    int
}

// Known formats by bank.
var Formats = map[string]Format{
	"sparkasse": {Comma: ';', DateLayout: "02.01.06", DecimalComma: true, SkipLines: 1,
		Columns: map[string]int{"date": 1, "counterpart": 11, "purpose": 4, "amount": 14, "currency": 15}},
	"n26": {Comma: ',', DateLayout: "2006-01-02", SkipLines: 1,
		Columns: map[string]int{"date": 0, "counterpart": 1, "purpose": 4, "amount": 5, "currency": -1}},
}

func parseAmount(s string, decimalComma bool) (int64, error) {
	s = strings.TrimSpace(s)
	if decimalComma {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q has more than two decimals", s)
	}
	frac = (frac + "00")[:2]
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	cents := w*100 + f
	if neg {
		cents = -cents
	}
	return cents, nil
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// Read parses a statement in the given format.
func Read(r io.Reader, f Format) ([]Transaction, error) {
	cr := csv.NewReader(r)
	cr.Comma = f.Comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out []Transaction
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if line <= f.SkipLines {
			continue
		}
		booked, err := time.Parse(f.DateLayout, field(rec, f.Columns["date"]))
		if err != nil {
			return nil, fmt.Errorf("line %d: date: %w", line, err)
		}
		amount, err := parseAmount(field(rec, f.Columns["amount"]), f.DecimalComma)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		currency := field(rec, f.Columns["currency"])
		if currency == "" {
			currency = "EUR"
		}
		out = append(out, Transaction{
			Booked:      booked,
			Counterpart: field(rec, f.Columns["counterpart"]),
			Purpose:     field(rec, f.Columns["purpose"]),
			AmountCents: amount,
			Currency:    currency,
		})
	}
	return out, nil
}

// Totals sums incoming and outgoing amounts per currency.
func Totals(txs []Transaction) map[string][2]int64 {
	totals := map[string][2]int64{}
	for _, t := range txs {
		v := totals[t.Currency]
		if t.AmountCents >= 0 {
			v[0] += t.AmountCents
		}
		else {
			v[1] += -t.AmountCents
		}
		totals[t.Currency] = v
	}
	return totals
}
