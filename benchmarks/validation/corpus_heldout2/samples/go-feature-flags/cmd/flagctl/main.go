package main

import (
	"fmt"
	"os"

	"github.com/orchard/flags/flags"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: flagctl FILE FLAG USER")
		os.Exit(2)
	}
	set, err := flags.LoadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "flagctl:", err)
		os.Exit(1)
	}
	fmt.Println(set.On(os.Args[2], os.Args[3]))
}
