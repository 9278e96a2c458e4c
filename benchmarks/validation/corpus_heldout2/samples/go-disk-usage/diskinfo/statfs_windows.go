//go:build windows

package diskinfo

import "golang.org/x/sys/windows"

func statfs(path string) (Usage, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return Usage{}, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return Usage{}, err
	}
	return Usage{Total: total, Free: free, Avail: avail}, nil
}
