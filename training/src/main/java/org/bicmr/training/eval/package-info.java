/**
 * Evaluation: Hamming and real-valued (cosine) ranking, MAP, precision–recall and precision@K under relevance S and
 * G, the base rate, code health (near-constant bits, distinct codes), the JSON report, the Markdown tables in the
 * paper's layouts and the plots. Uses the data and model packages, Gson and lucene-codec's {@code HashCode}.
 */
package org.bicmr.training.eval;
