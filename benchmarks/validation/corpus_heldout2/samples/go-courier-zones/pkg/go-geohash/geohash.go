// Package geohash encodes coordinates as geohash strings. The directory is
// named go-geohash after the upstream project it was vendored from; the
// package name is geohash.
package geohash

import "strings"

const base32 = "0123456789bcdefghjkmnpqrstuvwxyz"

// Encode returns the geohash of (lat, lon) with the given number of characters.
func Encode(lat, lon float64, precision int) string {
	latMin, latMax := -90.0, 90.0
	lonMin, lonMax := -180.0, 180.0
	var b strings.Builder
	bit, ch := 0, 0
	even := true
	for b.Len() < precision {
		if even {
			mid := (lonMin + lonMax) / 2
			if lon >= mid {
				ch |= 1 << (4 - bit)
				lonMin = mid
			} else {
				lonMax = mid
			}
		} else {
			mid := (latMin + latMax) / 2
			if lat >= mid {
				ch |= 1 << (4 - bit)
				latMin = mid
			} else {
				latMax = mid
			}
		}
		even = !even
		if bit < 4 {
			bit++
		} else {
			b.WriteByte(base32[ch])
			bit, ch = 0, 0
		}
	}
	return b.String()
}
