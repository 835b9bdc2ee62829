//go:build purego

package aesenc

// purego is true when the package is built with the purego tag.
const purego = true
