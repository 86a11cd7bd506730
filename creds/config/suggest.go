package config

import "strings"

// Nearest is the profile whose name is closest to name, for a "did you
// mean" when name is not one: the same name in other case, else one a few
// typos away (at most one edit per four characters, and never all of
// them). It is "" when none is close.
func (c *Config) Nearest(name string) string {
	limit := max(1, len(name)/4)
	best, bestDist := "", limit+1
	for _, p := range c.Profiles() {
		p := p.Name
		if strings.EqualFold(p, name) {
			return p
		}
		if d := editDistance(strings.ToLower(name), strings.ToLower(p), bestDist); d < bestDist && d < len(p) {
			best, bestDist = p, d
		}
	}
	return best
}

// NotFoundHint says what to do about a profile name that is not defined:
// a "did you mean" when one is close, else otherwise.
func (c *Config) NotFoundHint(name, otherwise string) string {
	if near := c.Nearest(name); near != "" {
		return "did you mean " + near + "?"
	}
	return otherwise
}

// editDistance is the Damerau-Levenshtein distance (adjacent swaps count
// once) between a and b, or bound when it is at least bound: with
// thousands of profiles, most are far away and give up early.
func editDistance(a, b string, bound int) int {
	ar, br := []rune(a), []rune(b)
	if d := len(ar) - len(br); d >= bound || -d >= bound {
		return bound
	}
	prev2 := make([]int, len(br)+1)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ar[i-1] == br[j-2] && ar[i-2] == br[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(br)], bound)
}
