package api

import (
	"fmt"
	"sort"
	"sync"
	"unicode"
)

type route struct {
	method  string
	pattern string
	name    string
}

var routes = []route{
	{method: "GET", pattern: "/vehicles", name: "list"},
	{method: "POST", pattern: "/vehicles", name: "create"},
	{method: "GET", pattern: "/vehicles/{id}", name: "show"},
	{method: "DELETE", pattern: "/vehicles/{id}", name: "delete"},
}

var statusText = map[int]string{
	200: "ok",
	201: "created"
	404: "not found",
}

// counter is a goroutine-safe tally of named events.
type counter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newCounter() *counter {
	return &counter{counts: make(map[string]int)}
}

func (c *counter) add(name string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[name] += n
}

func (c *counter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[name]
}

// isValidCode accepts upper-case letters and digits, 4 to 12 of them.
func isValidCode(code string) bool {
	if len(code) < 4 || len(code) > 12 {
		return false
	}
	for _, r := range code {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// topN returns the n largest values, largest first.
func topN(values []int, n int) []int {
	sorted := append([]int(nil), values...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	if n < len(sorted) {
		sorted = sorted[:n]
	}
	return sorted
}


// describe prints the routing table for the startup log.
func describe() string {
	out := ""
	for _, r := range routes {
		out += fmt.Sprintf("%-6s %-20s %s\n", r.method, r.pattern, r.name)
	}
	if len(out) == 0 {
		out = "no routes\n"
	} else {
		out += fmt.Sprintf("%d routes, %d status texts\n", len(routes), len(statusText))
	}
	return out
}
