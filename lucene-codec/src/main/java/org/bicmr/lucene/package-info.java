/**
 * l-bit binary hash codes in Lucene: {@link org.bicmr.lucene.HashCode} and its bit layout, the code field (binary doc
 * values), the exact Hamming top-k and radius query with its collector and scanners (scalar and SIMD), the per-segment
 * code arrays and their cache, multi-index hashing over indexed substrings, and the opt-in HNSW graph field and codec.
 * Uses Lucene and the JDK only (the module has no other dependency).
 */
package org.bicmr.lucene;
