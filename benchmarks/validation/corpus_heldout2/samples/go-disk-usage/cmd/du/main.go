package main

import (
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"

	"github.com/stonepine/diskwatch/diskinfo"
)

func main() {
	paths := os.Args[1:]
	if len(paths) == 0 {
		paths = []string{"."}
	}
	results := map[string]diskinfo.Usage{}
	failed := false
	for _, p := range paths {
		u, err := diskinfo.Of(p)
		if err != nil {
			slog.Error("cannot read disk usage", "path", p, "err", err)
			failed = true
			continue
		}
		results[p] = u
	}
	names := slices.Sorted(maps.Keys(results))
	for _, p := range names {
		u := results[p]
		fmt.Printf("%-30s %5.1f%% used, %d GiB available\n", p, u.UsedPercent(), u.Avail>>30)
	}
	if failed {
		os.Exit(1)
	}
}
