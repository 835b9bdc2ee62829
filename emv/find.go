package emv

import (
	"errors"
	"fmt"
)

// ErrPath reports a malformed path given to FindPathString or ParsePath.
var ErrPath = errors.New("emv: malformed tag path")

// FindAll returns the values of every object with the given tag anywhere in
// data, in depth-first order. The values alias data. On malformed data it
// returns the values found before the fault and the error.
func FindAll(data []byte, tag Tag) ([][]byte, error) {
	return AppendFindAll(nil, data, tag, Strict)
}

// AppendFindAll appends to dst the values of every object with the given tag
// in data read in mode m; it allocates only to grow dst.
func AppendFindAll(dst [][]byte, data []byte, tag Tag, m Mode) ([][]byte, error) {
	s := NewScannerMode(data, m)
	for s.Next() {
		if s.tag == tag {
			dst = append(dst, s.Value())
		}
	}
	return dst, s.Err()
}

// FindPath returns the value of the first object reached by path: path[0]
// is a top-level object, path[1] a direct child of it, and so on. When
// several objects match a step (two 70 records), each is tried in order, so
// FindPath(data, 0x70, 0x57) finds tag 57 in whichever record holds it. It
// does not allocate. An empty path finds nothing. The content of objects off
// the path is not read, so malformed content there goes unreported (use
// Validate to check the whole input).
func FindPath(data []byte, path ...Tag) (value []byte, ok bool, err error) {
	return FindPathMode(data, Strict, path...)
}

// FindPathMode is FindPath reading data in mode m.
func FindPathMode(data []byte, m Mode, path ...Tag) (value []byte, ok bool, err error) {
	if len(path) == 0 || len(path) > MaxDepth+1 {
		return nil, false, nil
	}
	s := NewScannerMode(data, m)
	for s.Next() {
		d := s.depth
		if s.tag != path[d] {
			s.Skip()
			continue
		}
		if d == len(path)-1 {
			return s.Value(), true, nil
		}
	}
	return nil, false, s.Err()
}

// FindPathString is FindPath with the path written as dot-separated hex
// tags: "70.57", "6F.A5.BF0C.61.4F". It does not allocate.
func FindPathString(data []byte, path string) (value []byte, ok bool, err error) {
	var buf [MaxDepth + 1]Tag
	p, err := parsePath(buf[:0], path)
	if err != nil {
		return nil, false, err
	}
	return FindPathMode(data, Strict, p...)
}

// ParsePath parses a dot-separated path of hex tags ("70.57").
func ParsePath(path string) ([]Tag, error) {
	return parsePath(nil, path)
}

func parsePath(dst []Tag, path string) ([]Tag, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty", ErrPath)
	}
	start := 0
	for i := 0; i <= len(path); i++ {
		if i < len(path) && path[i] != '.' {
			continue
		}
		if len(dst) == MaxDepth+1 {
			return nil, fmt.Errorf("%w: more than %d steps", ErrPath, MaxDepth+1)
		}
		t, err := ParseTag(path[start:i])
		if err != nil {
			return nil, fmt.Errorf("%w: step %d: %w", ErrPath, len(dst)+1, err)
		}
		dst = append(dst, t)
		start = i + 1
	}
	return dst, nil
}
