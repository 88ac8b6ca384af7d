/**
 * l-bit binary hash codes ({@link org.bicmr.codes.HashCode}, from hash-codes) in Lucene: the code field (binary doc
 * values), the exact Hamming top-k and radius query with its collector and scanners (scalar and SIMD), the per-segment
 * code arrays and {@link org.bicmr.lucene.HashCodeCache}, which holds them for the queries and collectors it is given
 * (an object its owner creates: a byte limit, least-recently-used eviction of arrays no search holds, an accounting
 * hook for a host's circuit breaker), multi-index hashing over indexed substrings, and the opt-in HNSW graph field and
 * codec. Uses Lucene, hash-codes and the JDK only (the module has no other dependency).
 */
package org.bicmr.lucene;
