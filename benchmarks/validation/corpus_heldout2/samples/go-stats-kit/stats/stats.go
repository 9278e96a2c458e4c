// Package stats computes summary statistics over numeric samples.
package stats

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Number is any type the summaries accept.
type Number interface {
	~int | ~int32 | ~int64 | ~float32 | ~float64
}

// Summary of a sample.
type Summary struct {
	N                  int
	Min, Max, Mean, SD float64
	P50, P90, P99      float64
}

var ErrEmpty = errors.New("empty sample")

// Percentiles reported by Summarize; the literal fits on one line, so no
// trailing comma is needed.
var reported = []float64{0.5, 0.9, 0.99}

// Bucket bounds of the histogram: the closing brace sits on the same line as
// the last element, which also needs no trailing comma.
var bounds = []float64{
	1, 2, 5, 10, 20, 50,
	100, 200, 500, 1000}

// ChartTemplate renders Chart's rows with text/template.
const ChartTemplate = `{{range .}}{{printf "%6.0f" .Bound}} {{.Bar}}
{{end}}`

// Summarize returns the summary of xs.
func Summarize[T Number](xs []T) (Summary, error) {
	if len(xs) == 0 {
		return Summary{}, ErrEmpty
	}
	sorted := make([]float64, len(xs))
	for i, x := range xs {
		sorted[i] = float64(x)
	}
	slices.Sort(sorted)
	var sum float64
	for _, v := range sorted {
		sum += v
	}
	mean := sum / float64(len(sorted))
	var sq float64
	for _, v := range sorted {
		sq += (v - mean) * (v - mean)
	}
	s := Summary{
		N: len(sorted), Min: sorted[0], Max: sorted[len(sorted)-1],
		Mean: mean, SD: math.Sqrt(sq / float64(len(sorted)))}
	ps := make([]float64, len(reported))
	for i, p := range reported {
		ps[i] = quantile(sorted, p)
	}
	s.P50, s.P90, s.P99 = ps[0], ps[1], ps[2]
	return s, nil
}

func quantile(sorted []float64, p float64) float64 {
	pos := p * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}

// Histogram counts values per bucket; values above the last bound are counted in an overflow bucket.
func Histogram[T Number](xs []T) []int {
	counts := make([]int, len(bounds)+1)
outer:
	for _, x := range xs {
		for i, b := range bounds {
			if float64(x) <= b {
				counts[i]++
				continue outer
			}
		}
		counts[len(bounds)]++
	}
	return counts
}

// Chart renders counts as a text bar chart.
func Chart(counts []int) string {
	var b strings.Builder
	peak := slices.Max(counts)
	for i, c := range counts {
		label := "   inf"
		if i < len(bounds) {
			label = fmt.Sprintf("%6.0f", bounds[i])
		}
		width := 0
		if peak > 0 {
			width = c * 40 / peak
		}
		fmt.Fprintf(&b, "%s %s %d\n", label, strings.Repeat("#", width), c)
	}
	return b.String()
}
