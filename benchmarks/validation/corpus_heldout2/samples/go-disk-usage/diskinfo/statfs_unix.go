//go:build linux || darwin || freebsd

package diskinfo

import "golang.org/x/sys/unix"

func statfs(path string) (Usage, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return Usage{}, err
	}
	bsize := uint64(st.Bsize)
	return Usage{
		Total: st.Blocks * bsize,
		Free:  st.Bfree * bsize,
		Avail: st.Bavail * bsize,
	}, nil
}
