// Package podcast carries the ward's public bulletins beyond the
// loudspeakers ("Nghe lại"): which approved segments the public may hear,
// the podcast feed (RSS 2.0 with the iTunes and Podcasting 2.0 tags) and the
// count of online listens, kept without tracking people.
//
// It knows nothing of HTTP or HTML: the web package serves what it builds.
// It reads the library (playlist/library) and owns one bbolt bucket, the
// daily listen counts.
package podcast
