// Package config loads the deployment description of a service.
package config

import (
	"encoding/yaml"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Environment is one target (staging, production...) of a service.
type Environment struct {
	Name            string            `yaml:"name"`
	Cluster         string            `yaml:"cluster"`
	Namespace       string            `yaml:"namespace"`
	Replicas        int               `yaml:"replicas"`
	Env             map[string]string `yaml:"env"`
	RequireApproval bool              `yaml:"requireApproval"`
}

// Service is the top-level document of deploy.yaml.
type Service struct {
	Name         string        `yaml:"name"`
	Image        string        `yaml:"image"`
	Port         int           `yaml:"port"`
	HealthPath   string        `yaml:"healthPath"`
	ReadyTimeout time.Duration `yaml:"readyTimeout"`
	Environments []Environment `yaml:"environments"`
}

var (
	nameRe   = regexp.MustCompile(`^[a-z][a-z0-9-]{1,40}$`)
	imageRe  = regexp.MustCompile(`^[a-z0-9.\-/:]+$`)
	envKeyRe = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
)

// ValidationError lists every problem of a document at once.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("deploy.yaml has %d problem(s):\n  - %s", len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// Load reads and validates a deploy.yaml file.
func Load(path string) (*Service, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var svc Service
	if err := yaml.Unmarshal(data, &svc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	svc.applyDefaults()
	if err := svc.Validate(); err != nil {
		return nil, err
	}
	return &svc, nil
}

func (s *Service) applyDefaults() {
	if s.HealthPath == "" {
		s.HealthPath = "/healthz"
	}
	if s.ReadyTimeout == 0 {
		s.ReadyTimeout = 2 * time.Minute
	}
	for i := range s.Environments {
		if s.Environments[i].Replicas == 0 {
			s.Environments[i].Replicas = 1
		}
		if s.Environments[i].Namespace == "" {
			s.Environments[i].Namespace = s.Name
		}
	}
}

// Validate checks the document and returns a *ValidationError listing all problems.
func (s *Service) Validate() error {
	var problems []string
	if !nameRe.MatchString(s.Name) {
		problems = append(problems, fmt.Sprintf("name %q must be lowercase letters, digits and dashes", s.Name))
	}
	if s.Image == "" || !imageRe.MatchString(s.Image) {
		problems = append(problems, fmt.Sprintf("image %q is not a valid image reference", s.Image))
	}
	if strings.HasSuffix(s.Image, ":latest") {
		problems = append(problems, "image must be pinned to a tag other than latest")
	}
	if s.Port <= 0 || s.Port > 65535 {
		problems = append(problems, fmt.Sprintf("port %d is out of range", s.Port))
	}
	if !strings.HasPrefix(s.HealthPath, "/") {
		problems = append(problems, "healthPath must start with /")
	}
	if len(s.Environments) == 0 {
		problems = append(problems, "at least one environment is required")
	}
	seen := map[string]bool{}
	for _, env := range s.Environments {
		if seen[env.Name] {
			problems = append(problems, fmt.Sprintf("environment %q is defined twice", env.Name))
		}
		seen[env.Name] = true
		if env.Cluster == "" {
			problems = append(problems, fmt.Sprintf("environment %q has no cluster", env.Name))
		}
		if env.Replicas < 0 || env.Replicas > 50 {
			problems = append(problems, fmt.Sprintf("environment %q: replicas must be 0..50", env.Name))
		}
		keys := make([]string, 0, len(env.Env))
		for k := range env.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !envKeyRe.MatchString(k) {
				problems = append(problems, fmt.Sprintf("environment %q: variable %q is not UPPER_SNAKE_CASE", env.Name, k))
			}
		}
		if env.Name == "production" && !env.RequireApproval {
			problems = append(problems, "production must set requireApproval: true")
		}
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// Environment returns the named environment.
func (s *Service) Environment(name string) (*Environment, error) {
	for i := range s.Environments {
		if s.Environments[i].Name == name {
			return &s.Environments[i], nil
		}
	}
	return nil, errors.New("no environment named " + name)
}
