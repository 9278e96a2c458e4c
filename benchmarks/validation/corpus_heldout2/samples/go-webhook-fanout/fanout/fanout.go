// Package fanout forwards one incoming event to many HTTP endpoints.
package fanout

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Target is one subscriber.
type Target struct {
	Name string
	URL  string
}

// Result of one delivery.
type Result struct {
	Target   string
	Status   int
	Duration time.Duration
	Err      error
}

// Forwarder sends events to targets.
type Forwarder struct {
	Client  *http.Client
	Targets []Target
	// UserAgent defaults to "fanout/1" when empty.
	UserAgent string
}

var defaultClient = sync.OnceValue(func() *http.Client {
	return &http.Client{Timeout: 10 * time.Second}
})

func (f *Forwarder) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return defaultClient()
}

// Send delivers body to every target concurrently. The deliveries outlive a
// cancelled request context (context.WithoutCancel) but keep its values.
func (f *Forwarder) Send(ctx context.Context, body []byte) ([]Result, error) {
	ctx = context.WithoutCancel(ctx)
	results := make([]Result, len(f.Targets))
	var wg sync.WaitGroup
	for i, t := range f.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = f.deliver(ctx, t, body)
		}()
	}
	wg.Wait()

	slices.SortFunc(results, func(a, b Result) int { return cmp.Compare(a.Target, b.Target) })
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Target, r.Err))
		}
	}
	return results, errors.Join(errs...)
}

func (f *Forwarder) deliver(ctx context.Context, t Target, body []byte) Result {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return Result{Target: t.Name, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", cmp.Or(f.UserAgent, "fanout/1"))
	resp, err := f.client().Do(req)
	if err != nil {
		return Result{Target: t.Name, Err: err, Duration: time.Since(start)}
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	r := Result{Target: t.Name, Status: resp.StatusCode, Duration: time.Since(start)}
	if resp.StatusCode >= 300 {
		r.Err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(snippet)))
	}
	return r
}

// ParseTargets reads "name=url" pairs separated by commas.
func ParseTargets(spec string) ([]Target, error) {
	var out []Target
	for part := range strings.SplitSeq(spec, ",") {
		name, url, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("target %q: expected name=url", part)
		}
		url, hadScheme := strings.CutPrefix(url, "https://")
		if !hadScheme {
			return nil, fmt.Errorf("target %s: only https URLs are allowed", name)
		}
		out = append(out, Target{Name: name, URL: "https://" + url})
	}
	if len(out) == 0 {
		return nil, errors.New("no targets")
	}
	names := make([]string, len(out))
	for i, t := range out {
		names[i] = t.Name
	}
	slices.Sort(names)
	if len(slices.Compact(names)) != len(names) {
		return nil, errors.New("target names must be unique")
	}
	return out, nil
}
