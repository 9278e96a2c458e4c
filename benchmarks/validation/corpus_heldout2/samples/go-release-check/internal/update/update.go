// Package update tells the user when a newer release of the tool exists.
package update

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/semver"
)

const (
	releasesURL = "https://api.github.com/repos/ferrylane/tool/releases/latest"
	checkEvery  = 24 * time.Hour
)

type release struct {
	TagName    string    `json:"tag_name"`
	HTMLURL    string    `json:"html_url"`
	Prerelease bool      `json:"prerelease"`
	Published  time.Time `json:"published_at"`
}

type state struct {
	CheckedAt time.Time `json:"checkedAt"`
	Latest    string    `json:"latest"`
	URL       string    `json:"url"`
}

// Notice is what the CLI prints after a command when an update exists.
type Notice struct {
	Current string
	Latest  string
	URL     string
}

func (n Notice) String() string {
	return fmt.Sprintf("A new release of tool is available: %s → %s\n%s", n.Current, n.Latest, n.URL)
}

func statePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "ferrylane-tool", "update.json"), nil
}

func readState(path string) (state, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return state{}, false
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return state{}, false
	}
	return st, true
}

func writeState(path string, st state) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func fetchLatest(ctx context.Context, client *http.Client) (release, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, releasesURL, nil)
	if err != nil {
		return release{}, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := client.Do(req)
	if err != nil {
		return release{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return release{}, fmt.Errorf("GitHub answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return release{}, err
	}
	var rel release
	_ = json.Unmarshal(body, &rel)
	return rel, nil
}

// Check returns a notice when a newer stable release than current exists.
// It asks GitHub at most once a day and remembers the answer.
func Check(ctx context.Context, current string, client *http.Client) (*Notice, error) {
	if !semver.IsValid(current) {
		return nil, nil // development build: nothing to compare
	}
	path, err := statePath()
	if err != nil {
		return nil, err
	}
	st, ok := readState(path)
	if !ok || time.Since(st.CheckedAt) > checkEvery {
		rel, err := fetchLatest(ctx, client)
		if err != nil {
			return nil, fmt.Errorf("check for updates: %w", err)
		}
		if rel.Prerelease {
			return nil, nil
		}
		st = state{CheckedAt: time.Now(), Latest: rel.TagName, URL: rel.HTMLURL}
		if err := writeState(path, st); err != nil {
			return nil, err
		}
	}
	if semver.Compare(st.Latest, current) > 0 {
		return &Notice{Current: current, Latest: st.Latest, URL: st.URL}, nil
	}
	return nil, nil
}
