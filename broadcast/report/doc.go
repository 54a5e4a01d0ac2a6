// Package report reconciles what the stations were told to play with what
// the aired ledger says they played, and builds the period reports the
// ward's office signs and sends upward (quarter, half-year, year, month or
// any range, cut in the ward's zone), with their exports: XLSX, CSV, JSON
// and a printable A4 HTML page.
//
// It reads the ledger (rollups for whole days, events otherwise) and the
// planned side through the small Plan interface; it never writes either,
// and knows nothing of HTTP. Every label a person reads is Vietnamese
// (NFC), with English for the HTML and JSON labels.
//
//loa:forbid net/http
package report
