// Package agent packs directories into compressed archives and uploads them.
package agent

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Manifest describes one archive.
type Manifest struct {
	Source    string    `json:"source"`
	Files     int       `json:"files"`
	Bytes     int64     `json:"bytes"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"createdAt"`
}

// Options control what goes into an archive.
type Options struct {
	Exclude        []string
	FollowSymlinks bool
	MaxFileBytes   int64
}

func excluded(rel string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := filepath.Match(p, filepath.Base(rel)); ok {
			return true
		}
		if strings.HasPrefix(rel, strings.TrimSuffix(p, "/**")+"/") {
			return true
		}
	}
	return false
}

// Pack writes a .tar.gz of src to dst and returns its manifest.
func Pack(src, dst string, opts Options) (*Manifest, error) {
	out, err := os.Create(dst)
	if err != nil {
		return nil, errors.Wrap(err, "create archive")
	}
	defer out.Close()

	hash := sha256.New()
	gz := gzip.NewWriter(io.MultiWriter(out, hash))
	tw := tar.NewWriter(gz)
	m := &Manifest{Source: src, CreatedAt: time.Now().UTC()}

	walkErr := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if excluded(rel, opts.Exclude) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode()&os.ModeSymlink != 0 && !opts.FollowSymlinks {
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			hdr, err := tar.FileInfoHeader(info, target)
			if err != nil {
				return err
			}
			hdr.Name = rel
			return tw.WriteHeader(hdr)
		}
		if opts.MaxFileBytes > 0 && info.Size() > opts.MaxFileBytes {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = rel
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		n, err := io.Copy(tw, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("copy %s: %w", rel, err)
		}
		m.Files++
		m.Bytes += n
		return nil
	})
	if walkErr != nil {
		return nil, fmt.Errorf("walk %s: %w", src, walkErr)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("close tar: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("close gzip: %w", err)
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", dst, err)
	}
	m.SHA256 = hex.EncodeToString(hash.Sum(nil))
	return m, nil
}
