// Package flags evaluates feature flags for a user.
package flags

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
)

// Flag is one feature switch with a percentage rollout.
type Flag struct {
	Key     string   `json:"key"`
	Enabled bool     `json:"enabled"`
	Percent int      `json:"percent"`
	Allow   []string `json:"allow"`
}

// Set is every flag by key.
type Set map[string]Flag

// LoadFile reads a JSON list of flags. (Renamed from Load in v0.9: flags can
// now also come from the admin API, see LoadJSON.)
func LoadFile(path string) (Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadJSON(data)
}

// LoadJSON parses a JSON list of flags.
func LoadJSON(data []byte) (Set, error) {
	var list []Flag
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("flags: %w", err)
	}
	set := make(Set, len(list))
	for _, f := range list {
		if f.Percent < 0 || f.Percent > 100 {
			return nil, fmt.Errorf("flag %s: percent must be 0..100", f.Key)
		}
		set[f.Key] = f
	}
	return set, nil
}

// Load is the pre-0.9 name of LoadFile.
//
// Deprecated: use LoadFile.
func Load(path string) (Set, error) { return LoadFile(path) }

// On reports whether key is on for user: allow-listed users always, others
// by a stable hash so a user keeps the same answer as the rollout grows.
func (s Set) On(key, user string) bool {
	f, ok := s[key]
	if !ok || !f.Enabled {
		return false
	}
	for _, u := range f.Allow {
		if u == user {
			return true
		}
	}
	h := fnv.New32a()
	h.Write([]byte(key + ":" + user))
	return int(h.Sum32()%100) < f.Percent
}
