// Package diskinfo reports free space on the volume holding a path.
package diskinfo

import "log/slog"

// Usage of one volume, in bytes.
type Usage struct {
	Total uint64
	Free  uint64
	Avail uint64
}

// UsedPercent is the share of the volume in use, as shown by df.
func (u Usage) UsedPercent() float64 {
	if u.Total == 0 {
		return 0
	}
	return 100 * float64(u.Total-u.Free) / float64(u.Total)
}

// Of returns the usage of the volume holding path.
func Of(path string) (Usage, error) {
	u, err := statfs(path)
	if err != nil {
		slog.Debug("statfs failed", "path", path, "err", err)
	}
	return u, err
}
