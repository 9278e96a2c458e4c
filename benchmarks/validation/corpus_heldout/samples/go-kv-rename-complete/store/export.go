package store

import (
	"encoding/csv"
	"io"
)

// Keys is the old name of ListKeys.
//
// Deprecated: use ListKeys.
func (s *Store) Keys(prefix string) []string { return s.ListKeys(prefix) }

// ExportCSV writes key,value rows for every live key under prefix.
func (s *Store) ExportCSV(w io.Writer, prefix string) error {
	out := csv.NewWriter(w)
	for _, k := range s.ListKeys(prefix) {
		v, err := s.Get(k)
		if err != nil {
			continue // expired between listing and reading
		}
		if err := out.Write([]string{k, string(v)}); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

