package store

import (
	"encoding/csv"
	"io"
)

// ExportCSV writes key,value rows for every live key under prefix.
func (s *Store) ExportCSV(w io.Writer, prefix string) error {
	out := csv.NewWriter(w)
	if err := out.Write([]string{"key", "value"}); err != nil {
		return err
	}
	for _, k := range s.Keys(prefix) {
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

