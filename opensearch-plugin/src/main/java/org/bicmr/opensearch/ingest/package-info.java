/**
 * The {@code bicmr_hash} ingest processor: batches documents, encodes their text or image field through the encode
 * action and writes the code into the target field after checking its mapping (type, model, bits); a document that
 * cannot be encoded fails alone. Uses the mapper and model packages and OpenSearch's ingest framework.
 */
package org.bicmr.opensearch.ingest;
