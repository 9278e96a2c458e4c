// Package zones assigns delivery addresses to courier zones by geohash prefix.
package zones

import (
	"sort"
	"strings"

	"gitea.example.net/courier/zones/pkg/go-geohash"
)

// Zone is served by one courier team.
type Zone struct {
	Name     string
	Prefixes []string
}

// Matcher finds the zone of a coordinate; the longest matching prefix wins.
type Matcher struct {
	prefixes []string
	byPrefix map[string]string
}

// NewMatcher indexes zones.
func NewMatcher(zs []Zone) *Matcher {
	m := &Matcher{byPrefix: map[string]string{}}
	for _, z := range zs {
		for _, p := range z.Prefixes {
			m.byPrefix[p] = z.Name
			m.prefixes = append(m.prefixes, p)
		}
	}
	sort.Slice(m.prefixes, func(i, j int) bool { return len(m.prefixes[i]) > len(m.prefixes[j]) })
	return m
}

// Zone returns the zone name for a coordinate, or "" outside every zone.
func (m *Matcher) Zone(lat, lon float64) string {
	h := geohash.Encode(lat, lon, 7)
	for _, p := range m.prefixes {
		if strings.HasPrefix(h, p) {
			return m.byPrefix[p]
		}
	}
	return ""
}
