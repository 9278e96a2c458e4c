package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/harbourlabs/deployctl/internal/config"
	"github.com/spf13/cobra"
)

func main() {
	var file string
	root := &cobra.Command{Use: "deployctl", SilenceUsage: true}
	root.PersistentFlags().StringVarP(&file, "file", "f", "deploy.yaml", "deployment description")

	root.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate deploy.yaml",
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := config.Load(file)
			if err != nil {
				return err
			}
			fmt.Printf("%s: %d environment(s), image %s\n", svc.Name, len(svc.Environments), svc.Image)
			return nil
		},
	})

	if err := root.Execute(); err != nil {
		var verr *config.ValidationError
		if errors.As(err, &verr) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
