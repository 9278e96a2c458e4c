package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/ferrylane/tool/internal/update"
)

var version = "v0.0.0-dev"

func main() {
	fmt.Println("tool", version)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	notice, err := update.Check(ctx, version, &http.Client{Timeout: 3 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "update check:", err)
		return
	}
	if notice != nil {
		fmt.Fprintln(os.Stderr, notice)
	}
}
