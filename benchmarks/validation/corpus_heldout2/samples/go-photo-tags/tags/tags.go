// Package tags normalises and indexes the tags users put on photos.
package tags

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

const maxTagLength = 40

// Normalize lowercases a tag, trims it and turns inner spaces into dashes.
// It returns "" for tags that are empty or too long after cleaning.
func Normalize(raw string) string {
	t := strings.ToLower(strings.TrimSpace(raw))
	t = strings.TrimPrefix(t, "#")
	var b strings.Builder
	lastDash := false
	for _, r := range t {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			lastDash = false
		case unicode.IsSpace(r) || r == '-' || r == '_':
			if !lastDash && b.Len() > 0 {
				b.WriteByte('-')
				lastDash = true
			}
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) == 0 || len(out) > maxTagLength {
		return ""
	}
	return out
}

// Clean normalises every tag and removes duplicates, keeping the order of
// first appearance so the photo shows tags as the user typed them.
func Clean(raw []string) []string {
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		if t := Normalize(r); t != "" {
			out = append(out, t)
		}
	}
	return slices.Unique(out)
}

// Index maps each tag to the IDs of the photos carrying it.
type Index struct {
	byTag map[string][]int64
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byTag: map[string][]int64{}}
}

// Add records the tags of one photo.
func (ix *Index) Add(photoID int64, raw []string) {
	for _, t := range Clean(raw) {
		ids := ix.byTag[t]
		if i, found := slices.BinarySearch(ids, photoID); !found {
			ix.byTag[t] = slices.Insert(ids, i, photoID)
		}
	}
}

// Remove forgets a photo.
func (ix *Index) Remove(photoID int64) {
	for t, ids := range ix.byTag {
		if i, found := slices.BinarySearch(ids, photoID); found {
			ids = slices.Delete(ids, i, i+1)
			if len(ids) == 0 {
				delete(ix.byTag, t)
			} else {
				ix.byTag[t] = ids
			}
		}
	}
}

// Photos returns the photos carrying every one of the given tags.
func (ix *Index) Photos(all ...string) []int64 {
	var result []int64
	for i, t := range Clean(all) {
		ids := ix.byTag[t]
		if i == 0 {
			result = slices.Clone(ids)
			continue
		}
		result = slices.DeleteFunc(result, func(id int64) bool {
			_, found := slices.BinarySearch(ids, id)
			return !found
		})
	}
	return result
}

// Popular returns the n most used tags, most used first, ties alphabetical.
func (ix *Index) Popular(n int) []string {
	tags := make([]string, 0, len(ix.byTag))
	for t := range ix.byTag {
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool {
		a, b := len(ix.byTag[tags[i]]), len(ix.byTag[tags[j]])
		if a != b {
			return a > b
		}
		return tags[i] < tags[j]
	})
	if len(tags) > n {
		tags = tags[:n]
	}
	return tags
}
