/**
 * The l-bit hash code every module shares: {@link org.bicmr.codes.HashCode} (its bit layout, packing from signs, bytes
 * and hex, Hamming distance) and {@link org.bicmr.codes.ModelName}, the rule for model names. Uses the JDK alone, so
 * Lucene, ONNX Runtime, training and the OpenSearch plugin can all depend on it.
 */
package org.bicmr.codes;
