// Package shipper tails a log file and ships new lines to a collector.
package shipper

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"time"
)

// Shipper sends batches of lines to Endpoint and remembers its offset.
type Shipper struct {
	Path       string
	StateFile  string
	Endpoint   string
	Client     *http.Client
	BatchLines int
}

func (s *Shipper) loadOffset() (int64, error) {
	data, err := os.ReadFile(s.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64)
}

func (s *Shipper) saveOffset(off int64) error {
	tmp := s.StateFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(off, 10)), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.StateFile)
}

func (s *Shipper) post(ctx context.Context, batch []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint, bytes.NewReader(batch))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	// Draining lets the connection be reused; the body of a 2xx carries
	// nothing we need, so a failed drain only costs a new connection.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("collector answered %s", resp.Status)
	}
	return nil
}

// Once ships everything written since the last run.
func (s *Shipper) Once(ctx context.Context) (int, error) {
	off, err := s.loadOffset()
	if err != nil {
		return 0, fmt.Errorf("state %s: %w", s.StateFile, err)
	}
	f, err := os.Open(s.Path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if info.Size() < off {
		off = 0 // the file was rotated or truncated: start over
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	r := bufio.NewReader(f)
	shipped := 0
	var batch bytes.Buffer
	lines := 0
	flush := func() error {
		if lines == 0 {
			return nil
		}
		if err := s.post(ctx, batch.Bytes()); err != nil {
			return err
		}
		off += int64(batch.Len())
		shipped += lines
		batch.Reset()
		lines = 0
		return s.saveOffset(off)
	}
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			batch.Write(line)
			lines++
			if lines >= s.BatchLines {
				if err := flush(); err != nil {
					return shipped, err
				}
			}
		}
		if errors.Is(err, io.EOF) {
			// A partial last line is left for the next run, once it is complete.
			break
		}
		if err != nil {
			return shipped, err
		}
	}
	return shipped, flush()
}

// Run ships every interval until ctx ends.
func (s *Shipper) Run(ctx context.Context, interval time.Duration, report func(int, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.Once(ctx)
		report(n, err)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
